import { describe, expect, it } from 'vitest';
import { TelegramConnector, telegramOptionsSchema } from '../../../../connectors/telegram/telegram.connector.js';
import { FakeTelegram, TG_TOKEN } from '../../../fixtures/telegram.js';

const make = (tg: FakeTelegram) =>
  new TelegramConnector({ id: 'tg', type: 'telegram', options: telegramOptionsSchema.parse({}) }, { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => (n === 'TELEGRAM_BOT_TOKEN' ? TG_TOKEN : undefined), http: tg.http });

describe('Telegram 409 conflicts', () => {
  it('a webhook set on the bot is removed (its pending updates kept) and getUpdates asked again', async () => {
    const tg = new FakeTelegram();
    tg.channelPost(1, 'пост');
    tg.webhook = 'https://old.example/hook';
    const c = make(tg);
    const r = await c.poll(c.initialCursor(), { limit: 100 });
    expect(r.items).toHaveLength(1);
    expect(tg.webhook).toBeUndefined();
    expect(tg.dropped).toBe(false);
  });

  it('a second poller on the same token is a typed conflict, not retried in a loop', async () => {
    const tg = new FakeTelegram();
    tg.failNextWith(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    const c = make(tg);
    await expect(c.poll(c.initialCursor(), { limit: 100 })).rejects.toMatchObject({ code: 'PLATFORM_CONFLICT' });
    expect(tg.origin.requests.filter((r) => r.path.endsWith('deleteWebhook'))).toHaveLength(0);
  });
});
