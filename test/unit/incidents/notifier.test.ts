import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Notifier } from '../../../src/incidents/notifier.js';
import { BodyDirectory } from '../../../src/core/bodies/bodies.js';
import { routingRulesSchema } from '../../../src/core/routing/router.js';
import type { NotificationJob } from '../../../src/ports/notifications.js';

const rules = routingRulesSchema.parse({
  version: 1,
  fallbackBody: 'cur',
  slaPolicies: { standard: { normal: { firstResponse: 'working-time:480', finalAnswer: 'working-time:3360' }, high: { firstResponse: 'working-time:240', finalAnswer: 'working-time:1440' } } },
  bodies: [{ id: 'cur', name: 'ЦУР', timeZone: 'Europe/Moscow', notify: { telegramChatId: '-100777' } }],
  routes: [],
});

describe('Notifier: a surge reaches the moderators', () => {
  it("goes to the moderators' chat and webhook (not to bodies), with a Russian text and the spike in the webhook body", async () => {
    const sent: { channel: string; to: string; text?: string; body?: Record<string, unknown> }[] = [];
    const notifier = new Notifier({
      bodies: new BodyDirectory(rules.bodies, rules.slaPolicies),
      store: { get: async () => undefined },
      channels: { telegram: async (to, text) => (sent.push({ channel: 'telegram', to, text }), true), webhook: async (to, body) => void sent.push({ channel: 'webhook', to, body }) },
      log: pino({ level: 'silent' }),
      moderators: { telegramChatId: '-100123', webhookUrl: 'https://hooks.example.org/cur' },
    });
    const job: NotificationJob = {
      event: 'spike',
      moderators: true,
      bodyIds: [],
      spike: { key: 'posts|housing|г. Энск|2026-12-07T11:00:00.000Z', kind: 'posts', topic: 'housing', territory: 'г. Энск', hour: '2026-12-07T11:00:00.000Z', count: 9, range: [0, 2], rising: ['запах', 'газа'], top: [{ id: 'vk:1', text: 'Запах газа в подъезде дома 5' }] },
    };
    const targets = await notifier.targets(job);
    expect(targets.map((t) => `${t.channel} ${t.to}`)).toEqual(['telegram -100123', 'webhook https://hooks.example.org/cur']);
    for (const [i, t] of targets.entries()) await notifier.deliver(t, `d${i}`);
    expect(sent[0]?.text).toBe('Всплеск постов: housing, г. Энск\n9 за час с 2026-12-07T11:00:00.000Z (обычно 0–2)\nЧаще обычного: запах, газа\n— Запах газа в подъезде дома 5');
    expect(sent[1]?.body).toMatchObject({ event: 'spike', spike: { key: job.spike.key, count: 9 } });
  });
});
