import { describe, expect, it } from 'vitest';
import { TelegramClient } from 'telegram';
import { TelegramMtprotoConnector, telegramMtprotoOptionsSchema, type TelegramMtprotoCursor } from '../../../../connectors/telegram-mtproto/telegram-mtproto.connector.js';
import { gramClient } from '../../../../connectors/telegram-mtproto/gram-client.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { FakeGramClient, rpcError } from '../../../fixtures/telegram-mtproto.js';

const SESSION = '1BAAOMTQ5LjE1NC4xNjcuNTEAUFixtureSessionString0123456789=';
const ACCOUNT: Record<string, string> = { TELEGRAM_API_ID: '123456', TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef', TELEGRAM_SESSION: SESSION };

function setup(chats: Record<string, unknown>[], secrets = ACCOUNT, extra: Record<string, unknown> = {}) {
  const gram = new FakeGramClient();
  const c = new TelegramMtprotoConnector(
    { id: 'tg-public', type: 'telegram-mtproto', territory: 'г. Энск', options: telegramMtprotoOptionsSchema.parse({ chats, ...extra }) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => secrets[n] },
    async () => gram,
  );
  let cursor: TelegramMtprotoCursor = c.initialCursor();
  const poll = async (limit = 100) => {
    const r = await c.poll(cursor, { limit });
    cursor = r.nextCursor;
    return r;
  };
  return { gram, c, poll, cursor: () => cursor };
}
const posts = (items: PollItem[]) => items.flatMap((i) => (i.ok ? [i.post] : []));

describe('Telegram over MTProto (a user account)', () => {
  it('reads a public channel by username with the Bot API\'s ids, oldest first; service messages are not posts', async () => {
    const s = setup([{ username: 'ensk_online' }]);
    s.gram.addChat('ensk_online', 1734567890, 'channel', 'Энск Онлайн');
    s.gram.post('ensk_online', 1, 'Яма на Ленина');
    s.gram.service('ensk_online', 2);
    s.gram.post('ensk_online', 3, 'Нет света на Мира');
    const got = posts((await s.poll()).items);
    expect(got.map((p) => [p.id, p.text])).toEqual([
      ['tg:-1001734567890:1', 'Яма на Ленина'],
      ['tg:-1001734567890:3', 'Нет света на Мира'],
    ]);
    expect(got[0]).toMatchObject({ kind: 'post', community: { id: '-1001734567890', name: 'Энск Онлайн' }, author: { id: '-1001734567890', kind: 'community' }, permalink: 'https://t.me/ensk_online/1', territory: 'г. Энск', engagement: { views: 101 } });
    // Kept raw without GramJS's client objects: it survives JSON (dead letters, the index).
    expect(JSON.parse(JSON.stringify(got[0]?.raw))).toEqual(got[0]?.raw);
  });

  it('reads the comments under channel posts from their discussion thread, each once, under the post', async () => {
    const s = setup([{ username: 'ensk_online' }]);
    s.gram.addChat('ensk_online', 1734567890, 'channel');
    s.gram.post('ensk_online', 10, 'Отключили воду');
    await s.poll();
    const a = s.gram.comment('ensk_online', 10, 'У нас тоже нет воды');
    s.gram.comment('ensk_online', 10, 'Третий день!');
    const got = posts((await s.poll()).items);
    expect(got.map((p) => [p.id, p.kind, p.parentId, p.text])).toEqual([
      ['tg:-1001734567891:' + a.id, 'comment', 'tg:-1001734567890:10', 'У нас тоже нет воды'],
      ['tg:-1001734567891:' + (a.id + 1), 'comment', 'tg:-1001734567890:10', 'Третий день!'],
    ]);
    expect(got[0]).toMatchObject({ permalink: `https://t.me/ensk_online/10?comment=${a.id}`, author: { id: '51234567', kind: 'user' } });
    expect(posts((await s.poll()).items)).toEqual([]);
    s.gram.comment('ensk_online', 10, 'Дали воду');
    expect(posts((await s.poll()).items).map((p) => p.text)).toEqual(['Дали воду']);
  });

  it('a public chat: messages are posts, a reply is a comment under the message it answers', async () => {
    const s = setup([{ username: 'ensk_chat', territory: 'Заречный район' }]);
    s.gram.addChat('ensk_chat', 1987654321, 'group', 'Энск чат');
    s.gram.post('ensk_chat', 5, 'Во дворе на Садовой третью неделю не вывозят мусор');
    s.gram.post('ensk_chat', 6, 'Да, у нас так же', { replyToMsgId: 5 });
    const got = posts((await s.poll()).items);
    expect(got.map((p) => [p.kind, p.parentId ?? null, p.territory])).toEqual([
      ['post', null, 'Заречный район'],
      ['comment', 'tg:-1001987654321:5', 'Заречный район'],
    ]);
    expect(got[0]?.author).toEqual({ id: '51234567', kind: 'user' });
  });

  it('each chat has its own cursor; a chat that cannot be read is a notice and the others go on', async () => {
    const s = setup([{ username: 'ensk_online' }, { username: 'gone_channel' }, { username: 'ensk_chat' }]);
    s.gram.addChat('ensk_online', 1734567890, 'channel');
    s.gram.addChat('ensk_chat', 1987654321, 'group');
    s.gram.post('ensk_online', 1, 'канал');
    s.gram.post('ensk_chat', 1, 'чат');
    const r = await s.poll();
    expect(posts(r.items).map((p) => p.text)).toEqual(['канал', 'чат']);
    expect(r.notices).toEqual([expect.stringMatching(/^@gone_channel cannot be read: .*USERNAME_NOT_OCCUPIED/)]);
    expect(Object.keys(s.cursor().chats).sort()).toEqual(['ensk_chat', 'ensk_online']);
    s.gram.post('ensk_chat', 2, 'ещё в чате');
    expect(posts((await s.poll()).items).map((p) => p.text)).toEqual(['ещё в чате']);
  });

  it('a FLOOD_WAIT from any call pauses the whole source for exactly its seconds; nothing is lost', async () => {
    const s = setup([{ username: 'ensk_online' }]);
    s.gram.addChat('ensk_online', 1734567890, 'channel');
    s.gram.post('ensk_online', 1, 'пост');
    await s.poll();
    s.gram.post('ensk_online', 2, 'второй');
    s.gram.failNext(rpcError(420, 'FLOOD_WAIT_1234'));
    const before = s.cursor();
    await expect(s.c.poll(before, { limit: 100 })).rejects.toMatchObject({ code: 'PLATFORM_RATE_LIMITED', details: { retryAfterS: 1234 } });
    expect(posts((await s.poll()).items).map((p) => p.text)).toEqual(['второй']);
  });

  it('a revoked session stops the source; missing account secrets are named, never shown', async () => {
    const s = setup([{ username: 'ensk_online' }]);
    s.gram.addChat('ensk_online', 1734567890, 'channel');
    s.gram.failNext(rpcError(401, 'SESSION_REVOKED'));
    const err = await s.poll().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLATFORM_AUTH_FAILED', retryable: false });
    expect(String(err) + JSON.stringify(err)).not.toContain(SESSION);
    const none = setup([{ username: 'ensk_online' }], { TELEGRAM_API_ID: '123456' });
    const missing = await none.poll().catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'PLATFORM_AUTH_FAILED', message: expect.stringContaining('TELEGRAM_SESSION') });
  });

  it('the first poll takes only the newest backlog, then goes on by id', async () => {
    const s = setup([{ username: 'ensk_online' }], ACCOUNT, { bootstrapBacklog: 3 });
    s.gram.addChat('ensk_online', 1734567890, 'channel');
    for (let i = 1; i <= 10; i++) s.gram.post('ensk_online', i, `пост ${i}`);
    expect(posts((await s.poll()).items).map((p) => p.text)).toEqual(['пост 8', 'пост 9', 'пост 10']);
    s.gram.post('ensk_online', 11, 'пост 11');
    expect(posts((await s.poll()).items).map((p) => p.text)).toEqual(['пост 11']);
  });
});

describe('the GramJS client the connector makes', () => {
  it('reports every flood wait instead of sleeping through it, and logs nothing', () => {
    const client = gramClient({ apiId: 1, apiHash: 'x', session: '' });
    expect(client).toBeInstanceOf(TelegramClient);
    expect((client as TelegramClient).floodSleepThreshold).toBe(0);
    expect((client as TelegramClient).logger.logLevel).toBe('none');
  });
});
