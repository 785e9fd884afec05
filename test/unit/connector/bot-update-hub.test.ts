import { describe, expect, it } from 'vitest';
import { MemoryBotUpdateHub, comparePositions } from '../../../src/connector/bot-update-hub.js';
import { botUpdateHubConformance } from '../../helpers/bot-update-hub-conformance.js';

botUpdateHubConformance('memory', () => new MemoryBotUpdateHub());

describe('inbox positions', () => {
  it('order as Redis stream ids do, with the empty position first', () => {
    expect(['2-0', '', '10-0', '2-1'].sort(comparePositions)).toEqual(['', '2-0', '2-1', '10-0']);
  });

  it('links expire', async () => {
    let now = 1000;
    const hub = new MemoryBotUpdateHub(() => now);
    await hub.link('bot', 'a', 'b', 60);
    now += 61_000;
    expect((await hub.linked('bot', ['a'])).size).toBe(0);
  });
});
