import { describe, expect, it } from 'vitest';
import { ConnectorAnswerPublisher } from '../../../src/incidents/connector-answer-publisher.js';
import { RedisMarkers } from '../../../src/adapters/redis/markers.js';
import type { Connector, ReplyTarget } from '../../../src/connector/connector.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';

const t = useTestRedis();

describe('answers through connectors', () => {
  it('publishes through the platform connector once per idempotency key, even when the action is retried', async () => {
    const calls: [ReplyTarget, string][] = [];
    // Stands in for a platform's server, which cannot be reached from tests.
    const tg = {
      type: 'telegram',
      platform: 'tg',
      reply: async (target: ReplyTarget, text: string) => {
        calls.push([target, text]);
        return { publishedAt: '2026-11-21T10:00:05.000Z', platformId: 'tg:-1:99', url: 'https://t.me/chat/99' };
      },
    } as unknown as Connector;
    const replay = { type: 'replay' } as unknown as Connector;
    const publisher = new ConnectorAnswerPublisher([replay, tg], new RedisMarkers(t.redis, freshPrefix()));
    expect(publisher.canReply('tg')).toBe(true);
    expect(publisher.canReply('vk')).toBe(false);
    const req = { incidentId: 'inc_1', postId: 'tg:-1:5', text: 'Ответ', credentialsRef: 'CITY_TG', idempotencyKey: 'inc_1.2' };
    expect(await publisher.reply(req)).toEqual({ publishedAt: '2026-11-21T10:00:05.000Z', url: 'https://t.me/chat/99' });
    expect(await publisher.reply(req)).toEqual({ publishedAt: '2026-11-21T10:00:05.000Z', url: 'https://t.me/chat/99' });
    expect(calls).toHaveLength(1);
    await publisher.reply({ ...req, idempotencyKey: 'inc_1.5' });
    expect(calls).toHaveLength(2);
  });
});
