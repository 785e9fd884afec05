import { beforeEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { TelegramConnector, telegramOptionsSchema } from '../../../../connectors/telegram/telegram.connector.js';

const API = 'https://api.telegram.org';
const TOKEN = '7312345678:AAH-realistic_looking_secret_token_xyz';
let agent: MockAgent;
let bodies: Record<string, unknown>[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  bodies = [];
});

function connector(options: Record<string, unknown> = {}, token: string | null = TOKEN) {
  return new TelegramConnector(
    { id: 'tg-city', type: 'telegram', territory: 'Энск', options: telegramOptionsSchema.parse(options) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => (n === 'TELEGRAM_BOT_TOKEN' ? (token ?? undefined) : undefined), http: agent },
  );
}

function reply(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  agent
    .get(API)
    .intercept({ path: `/bot${TOKEN}/getUpdates`, method: 'POST' })
    .reply(status, (o) => {
      bodies.push(JSON.parse(typeof o.body === 'string' ? o.body : '{}') as Record<string, unknown>);
      return body as Record<string, unknown>;
    }, { headers });
}

const channel = { id: -1001734567890, title: 'Энск Онлайн', username: 'ensk_online', type: 'channel' };
const chat = { id: -1001987654321, title: 'Энск чат', username: 'ensk_chat', type: 'supergroup' };
const post = (update: number, id: number, text: string) => ({ update_id: update, channel_post: { message_id: id, chat: channel, sender_chat: channel, date: 1763734000, text } });

describe('Telegram getUpdates connector (Bot API shapes)', () => {
  it('first poll: asks for the monitored update types, normalises posts, moves the offset past the last update', async () => {
    reply(200, { ok: true, result: [post(804211570, 1482, 'Яма на Ленина'), { update_id: 804211571, message: { message_id: 9052, message_thread_id: 9051, from: { id: 5, is_bot: false, first_name: 'М' }, chat, date: 1763734100, text: 'И у нас' } }, { update_id: 804211572, my_chat_member: {} }] });
    const r = await connector().poll(connector().initialCursor(), { limit: 100 });
    expect(bodies[0]).toEqual({ limit: 100, timeout: 0, allowed_updates: ['message', 'edited_message', 'channel_post', 'edited_channel_post'] });
    expect(r.items.map((i) => (i.ok ? i.post.id : i.ref))).toEqual(['tg:-1001734567890:1482', 'tg:-1001987654321:9052']);
    expect(r.items[0]?.ok && r.items[0].post).toMatchObject({ sourceId: 'tg-city', territory: 'Энск', permalink: 'https://t.me/ensk_online/1482' });
    expect(r.nextCursor).toEqual({ offset: 804211573 });
    expect(r.more).toBe(false);
  });

  it('incremental poll sends the offset (which confirms earlier updates); an empty poll keeps the cursor', async () => {
    reply(200, { ok: true, result: [] });
    const r = await connector().poll({ offset: 804211573 }, { limit: 10 });
    expect(bodies[0]).toMatchObject({ offset: 804211573, limit: 10 });
    expect(r).toEqual({ items: [], nextCursor: { offset: 804211573 }, more: false });
  });

  it('an edit is a new revision of the same post; a full page says there is more', async () => {
    reply(200, { ok: true, result: [post(10, 1482, 'Текст'), { update_id: 11, edited_channel_post: { message_id: 1482, chat: channel, date: 1763734000, edit_date: 1763734600, text: 'Текст, исправленный' } }] });
    const r = await connector().poll({ offset: 10 }, { limit: 2 });
    const [a, b] = r.items.map((i) => (i.ok ? i.post : undefined));
    expect(a?.id).toBe(b?.id);
    expect(a?.revision).not.toBe(b?.revision);
    expect(r.more).toBe(true);
  });

  it('keeps only the configured chats', async () => {
    reply(200, { ok: true, result: [post(1, 1, 'a'), { update_id: 2, message: { message_id: 2, chat, date: 1763734100, text: 'b' } }] });
    const r = await connector({ chats: [-1001987654321] }).poll({ offset: 0 }, { limit: 100 });
    expect(r.items.map((i) => (i.ok ? i.post.id : i.ref))).toEqual(['tg:-1001987654321:2']);
    expect(r.nextCursor).toEqual({ offset: 3 });
  });

  it('a malformed update is rejected with the update id and kept raw; the rest go on', async () => {
    reply(200, { ok: true, result: [{ update_id: 5, channel_post: { message_id: 'x', chat: channel, date: 1 } }, post(6, 7, 'ok')] });
    const r = await connector().poll({ offset: 5 }, { limit: 100 });
    expect(r.items[0]).toMatchObject({ ok: false, ref: 'update-5', error: { code: 'POST_INVALID' } });
    expect(r.items[1]?.ok).toBe(true);
  });

  it.each([
    [429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } }, { code: 'PLATFORM_RATE_LIMITED', details: { retryAfterS: 35 } }],
    [401, { ok: false, error_code: 401, description: 'Unauthorized' }, { code: 'PLATFORM_AUTH_FAILED', retryable: false }],
    [409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' }, { code: 'PLATFORM_CONFLICT' }],
    [502, { ok: false, error_code: 502, description: 'Bad Gateway' }, { code: 'PLATFORM_UNAVAILABLE', retryable: true }],
    [200, { ok: true }, { code: 'PLATFORM_RESPONSE_INVALID' }],
  ])('HTTP %i → a typed error, and the token never appears', async (status, body, expected) => {
    reply(status, body);
    const err = await connector().poll({ offset: 1 }, { limit: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject(expected);
    expect(JSON.stringify(err) + String(err)).not.toContain(TOKEN);
  });

  it('an HTML error page is the platform being down (retried), a truncated body an invalid response; the raw text is kept', async () => {
    agent.get(API).intercept({ path: `/bot${TOKEN}/getUpdates`, method: 'POST' }).reply(502, '<html><body>502 Bad Gateway</body></html>', { headers: { 'content-type': 'text/html' } });
    await expect(connector().poll({ offset: 1 }, { limit: 1 })).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true, details: { raw: expect.stringContaining('502 Bad Gateway') } });
    agent.get(API).intercept({ path: `/bot${TOKEN}/getUpdates`, method: 'POST' }).reply(200, '{"ok":true,"result":[{"update_id":1,', { headers: { 'content-type': 'application/json' } });
    await expect(connector().poll({ offset: 1 }, { limit: 1 })).rejects.toMatchObject({ code: 'PLATFORM_RESPONSE_INVALID' });
  });

  it('network failures are retryable; a missing token stops the source', async () => {
    agent.get(API).intercept({ path: `/bot${TOKEN}/getUpdates`, method: 'POST' }).replyWithError(Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
    await expect(connector().poll({ offset: 1 }, { limit: 1 })).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true });
    await expect(connector({}, null).poll({ offset: 1 }, { limit: 1 })).rejects.toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
  });
});

describe('Telegram official replies (sendMessage + reply_parameters)', () => {
  it('answers in the message chat, replying to the message; the receipt carries the platform time and link', async () => {
    let sent: Record<string, unknown> = {};
    agent
      .get(API)
      .intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' })
      .reply(200, (o) => {
        sent = JSON.parse(typeof o.body === 'string' ? o.body : '{}') as Record<string, unknown>;
        return { ok: true, result: { message_id: 9060, date: 1763735000, chat, text: 'Здравствуйте!' } };
      });
    const receipt = await connector().reply({ postId: 'tg:-1001987654321:9052', idempotencyKey: 'k1' }, 'Здравствуйте! Яму заделают завтра.');
    expect(sent).toEqual({ chat_id: -1001987654321, text: 'Здравствуйте! Яму заделают завтра.', reply_parameters: { message_id: 9052, allow_sending_without_reply: true }, link_preview_options: { is_disabled: true } });
    expect(receipt).toEqual({ publishedAt: '2025-11-21T14:23:20.000Z', platformId: 'tg:-1001987654321:9060', url: 'https://t.me/ensk_chat/9060' });
  });

  it('a refused reply is a typed error without the token; a non-Telegram post id is refused before any call', async () => {
    agent.get(API).intercept({ path: `/bot${TOKEN}/sendMessage`, method: 'POST' }).reply(403, { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    const err = await connector().reply({ postId: 'tg:-1:2', idempotencyKey: 'k1' }, 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
    expect(String(err) + JSON.stringify(err)).not.toContain(TOKEN);
    await expect(connector().reply({ postId: 'vk:-1_2', idempotencyKey: 'k1' }, 'x')).rejects.toMatchObject({ code: 'PLATFORM_ERROR' });
  });
});
