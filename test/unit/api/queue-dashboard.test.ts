import { describe, expect, it } from 'vitest';
import { redactReceivers } from '../../../src/api/queue-dashboard.js';

describe('queue dashboard job data', () => {
  it("shows receivers' URLs and URLs with credentials by origin only; other links and values as they are", () => {
    const data = { channel: 'webhook', to: 'https://hooks.example.org/services/T0/B0/s3cr3t', notification: { permalink: 'https://vk.com/wall-1_2', raw: ['https://u:p@example.org/x'] }, n: 3 };
    expect(redactReceivers(data)).toEqual({ channel: 'webhook', to: 'https://hooks.example.org/…', notification: { permalink: 'https://vk.com/wall-1_2', raw: ['https://example.org/…'] }, n: 3 });
  });
});
