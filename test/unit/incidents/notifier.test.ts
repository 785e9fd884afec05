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

describe('Notifier: incident notices read as people speak', () => {
  it('names the topic and the body, and gives the deadline in the body\'s own time', async () => {
    const sent: string[] = [];
    const bodies = new BodyDirectory(routingRulesSchema.parse({ ...rules, bodies: [...rules.bodies, { id: 'roads', name: 'Управление дорог', timeZone: 'Asia/Omsk' }] }).bodies, rules.slaPolicies);
    const incident = { id: 'inc_1', topic: 'roads', subtopic: 'roads.potholes', territory: 'г. Энск', priority: 'high', bodyId: 'roads', permalink: 'https://vk.com/wall-1_1', status: 'routed', clocks: [{ id: 'first_response.body.1', kind: 'first_response', dueAt: '2026-12-08T06:00:00.000Z', provisional: false }] };
    const notifier = new Notifier({
      bodies,
      store: { get: async () => incident as never },
      channels: { telegram: async (_to, text) => (sent.push(text), true), webhook: async () => undefined },
      log: pino({ level: 'silent' }),
      topicName: (id) => ({ 'roads.potholes': 'Дороги: ямы' })[id] ?? id,
    });
    await notifier.deliver({ channel: 'telegram', to: '-1', notification: { event: 'routed', incidentId: 'inc_1', version: 2, bodyIds: ['roads'], moderators: false } }, 'd1');
    expect(sent[0]).toBe('Новый инцидент: inc_1\nТема: Дороги: ямы, г. Энск; приоритет: высокий\nОтветственный: Управление дорог\nСрок: 08.12.2026 12:00 (МСК+3)\nhttps://vk.com/wall-1_1');
  });
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
      topicName: (id) => (id === 'housing' ? 'ЖКХ' : id),
      zone: 'Asia/Yekaterinburg',
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
    // Topic by its name, the hour in the control centre's own time.
    expect(sent[0]?.text).toBe('Всплеск постов: ЖКХ, г. Энск\n9 за час с 07.12.2026 16:00 (МСК+2) (обычно 0–2)\nЧаще обычного: запах, газа\n— Запах газа в подъезде дома 5');
    expect(sent[1]?.body).toMatchObject({ event: 'spike', spike: { key: job.spike.key, count: 9 } });
  });
});
