import { describe, expect, it } from 'vitest';
import type { Update } from '@grammyjs/types';
import { TelegramConnector, telegramOptionsSchema, type TelegramCursor } from '../../../../connectors/telegram/telegram.connector.js';
import { MemoryBotUpdateHub, type BotUpdateHub } from '../../../../src/connector/bot-update-hub.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { failures } from '../../../fixtures/http.js';
import { CHANNEL, DISCUSSION, FakeTelegram, TG_TOKEN } from '../../../fixtures/telegram.js';

function source(tg: FakeTelegram, hub: BotUpdateHub, id = 'tg-city', options: Record<string, unknown> = {}, token: string | null = TG_TOKEN) {
  const c = new TelegramConnector(
    { id, type: 'telegram', territory: 'Энск', options: telegramOptionsSchema.parse(options) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: (n) => (n === 'TELEGRAM_BOT_TOKEN' ? (token ?? undefined) : undefined), http: tg.http, botUpdates: hub },
  );
  let cursor: TelegramCursor = c.initialCursor();
  const poll = async (limit = 100) => {
    const r = await c.poll(cursor, { limit });
    cursor = r.nextCursor;
    return r;
  };
  return { c, poll, cursor: () => cursor };
}

function setup(options: Record<string, unknown> = {}) {
  const tg = new FakeTelegram();
  const hub = new MemoryBotUpdateHub();
  return { tg, hub, ...source(tg, hub, 'tg-city', options) };
}

const posts = (items: PollItem[]) => items.flatMap((i) => (i.ok ? [i.post] : []));
const getUpdates = (tg: FakeTelegram) => tg.origin.requests.filter((r) => r.path.endsWith('/getUpdates')).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('Telegram getUpdates connector', () => {
  it('asks for the monitored update types and takes posts oldest first; an empty poll keeps the cursor', async () => {
    const s = setup();
    s.tg.channelPost(1482, 'Яма на Ленина');
    const r = await s.poll();
    expect(getUpdates(s.tg)[0]).toEqual({ limit: 100, timeout: 0, allowed_updates: ['message', 'edited_message', 'channel_post', 'edited_channel_post'] });
    expect(posts(r.items)).toMatchObject([{ id: 'tg:-1001734567890:1482', sourceId: 'tg-city', territory: 'Энск', permalink: 'https://t.me/ensk_online/1482', author: { kind: 'community' } }]);
    const again = await s.poll();
    expect(again.items).toEqual([]);
    expect(again.nextCursor).toEqual(r.nextCursor);
  });

  it('a channel post and its automatic copy in the discussion group are one post, with the channel\'s id and time', async () => {
    const s = setup();
    s.tg.channelPost(1482, 'Яма на Ленина');
    const got = posts((await s.poll()).items);
    expect(got.map((p) => p.id)).toEqual(['tg:-1001734567890:1482']);
    // Seen only through the group (the bot is not a channel admin): still the channel's post.
    const onlyCopy = setup();
    onlyCopy.tg.channelPost(77, 'Нет света');
    onlyCopy.tg.log.splice(0, 1);
    expect(posts((await onlyCopy.poll()).items)).toMatchObject([{ id: 'tg:-1001734567890:77', kind: 'post', community: { id: String(CHANNEL.id) }, createdAt: new Date((1763734000 + 77) * 1000).toISOString(), permalink: 'https://t.me/ensk_online/77' }]);
  });

  it('comments hang under the channel post they discuss: directly, and as replies to other comments', async () => {
    const s = setup();
    s.tg.channelPost(1482, 'Яма на Ленина');
    await s.poll();
    const first = s.tg.comment(1482, 'И у нас во дворе');
    const got = posts((await s.poll()).items);
    expect(got).toMatchObject([{ id: `tg:${DISCUSSION.id}:${first.message_id}`, kind: 'comment', parentId: 'tg:-1001734567890:1482', author: { kind: 'user' } }]);
    // A reply to a comment names only the thread (the copy in the group): the link remembered when
    // the copy was read says which channel post that is.
    s.tg.comment(1482, 'Подтверждаю', first);
    expect(posts((await s.poll()).items)).toMatchObject([{ kind: 'comment', parentId: 'tg:-1001734567890:1482' }]);
  });

  it('listing the channel keeps the comments under its posts; other chats are left out', async () => {
    const s = setup({ chats: [CHANNEL.id] });
    s.tg.channelPost(1, 'пост');
    s.tg.comment(1, 'комментарий');
    expect(posts((await s.poll()).items).map((p) => [p.kind, p.parentId ?? null])).toEqual([
      ['post', null],
      ['comment', 'tg:-1001734567890:1'],
    ]);
    const other = setup({ chats: [-100999] });
    other.tg.channelPost(1, 'пост');
    expect(posts((await other.poll()).items)).toEqual([]);
  });

  it('an edit is a new revision of the same post; a full page says there is more', async () => {
    const s = setup();
    for (let i = 1; i <= 3; i++) s.tg.channelPost(i, `Текст ${i}`);
    s.tg.editChannelPost(1, 'Текст 1, исправленный');
    const first = await s.poll(2);
    expect(first.more).toBe(true);
    const all = [...posts(first.items)];
    for (let r = await s.poll(2); ; r = await s.poll(2)) {
      all.push(...posts(r.items));
      if (!r.more) break;
    }
    const one = all.filter((p) => p.id === 'tg:-1001734567890:1');
    expect(one).toHaveLength(2);
    expect(one[0]?.revision).not.toBe(one[1]?.revision);
  });

  it('a malformed update is rejected with its update id and kept raw; the rest go on', async () => {
    const s = setup();
    s.tg.log.push({ update_id: 5, channel_post: { message_id: 'x', chat: CHANNEL, date: 1 } } as unknown as Update);
    s.tg.log.push({ update_id: 6, channel_post: { message_id: 7, chat: CHANNEL, sender_chat: CHANNEL, date: 1763734000, text: 'ok' } });
    const r = await s.poll();
    expect(r.items[0]).toMatchObject({ ok: false, ref: 'update-5', error: { code: 'POST_INVALID' } });
    expect(r.items[1]?.ok).toBe(true);
  });

  it('a cursor from before the shared reader resumes the bot where it was: nothing read twice or skipped', async () => {
    const s = setup();
    // Each post is two updates (the post and its copy in the group): 1–4 were taken before.
    for (let i = 1; i <= 4; i++) s.tg.channelPost(i, `пост ${i}`);
    const r = await s.c.poll({ inbox: '', offset: 5 }, { limit: 100 });
    expect(getUpdates(s.tg)[0]).toMatchObject({ offset: 5 });
    expect(posts(r.items).map((p) => p.text)).toEqual(['пост 3', 'пост 4']);
  });
});

describe('Telegram: several sources on one bot', () => {
  it('each source gets every update although one reader confirms them (Telegram forgets below the offset)', async () => {
    const tg = new FakeTelegram();
    const hub = new MemoryBotUpdateHub();
    const a = source(tg, hub, 'tg-city', { chats: [CHANNEL.id] });
    const b = source(tg, hub, 'tg-district');
    await a.poll();
    await b.poll();
    tg.channelPost(1, 'Первый');
    tg.channelPost(2, 'Второй');
    expect(posts((await a.poll()).items).map((p) => p.text)).toEqual(['Первый', 'Второй']);
    // b's own read confirms both updates to Telegram (they are gone there); b has them from the hub.
    const bGot = posts((await b.poll()).items);
    expect(tg.confirmedBelow).toBe(tg.log.length + 1);
    expect(bGot.map((p) => p.text)).toEqual(['Первый', 'Второй']);
    expect(bGot.every((p) => p.sourceId === 'tg-district')).toBe(true);
    expect(posts((await a.poll()).items)).toEqual([]);
    expect(posts((await b.poll()).items)).toEqual([]);
  });

  it('without the hub the same two sources lose each other\'s updates: the failure it prevents', async () => {
    const tg = new FakeTelegram();
    const a = source(tg, new MemoryBotUpdateHub(), 'a');
    const b = source(tg, new MemoryBotUpdateHub(), 'b');
    tg.channelPost(1, 'Первый');
    await a.poll();
    await a.poll();
    tg.channelPost(2, 'Второй');
    await a.poll();
    await a.poll();
    expect(posts((await b.poll()).items).map((p) => p.text)).toEqual([]);
  });
});

describe('Telegram: what the bot cannot see', () => {
  it('privacy mode with the bot a plain member of a listed group, and a channel it does not administer, are notices', async () => {
    const s = setup({ chats: [CHANNEL.id, DISCUSSION.id] });
    s.tg.status.set(CHANNEL.id, 'member');
    const r = await s.poll();
    expect(r.notices).toEqual([
      expect.stringContaining('not an administrator of the channel Энск Онлайн'),
      expect.stringContaining('privacy mode is on and the bot is not an administrator of Энск Онлайн — обсуждение'),
    ]);
    // Checked hourly, not on every poll.
    expect((await s.poll()).notices).toBeUndefined();
  });

  it('no notice once privacy mode is off and the bot administers the channel', async () => {
    const s = setup({ chats: [CHANNEL.id, DISCUSSION.id] });
    s.tg.me = { ...s.tg.me, can_read_all_group_messages: true };
    expect((await s.poll()).notices).toBeUndefined();
  });

  it('with no chats listed, privacy mode on is said once', async () => {
    const s = setup();
    expect((await s.poll()).notices).toEqual([expect.stringContaining('privacy mode is on')]);
  });
});

describe('Telegram errors', () => {
  it.each([
    [429, 'Too Many Requests: retry after 35', { retry_after: 35 }, { code: 'PLATFORM_RATE_LIMITED', details: { retryAfterS: 35 } }],
    [401, 'Unauthorized', undefined, { code: 'PLATFORM_AUTH_FAILED', retryable: false }],
    [409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running', undefined, { code: 'PLATFORM_CONFLICT' }],
    [502, 'Bad Gateway', undefined, { code: 'PLATFORM_UNAVAILABLE', retryable: true }],
  ])('getUpdates %i → a typed error, the cursor unmoved, and the token never appears', async (status, description, parameters, expected) => {
    const s = setup();
    s.tg.channelPost(1, 'пост');
    s.tg.failMethod('getUpdates', status, description, parameters);
    const err = await s.poll().catch((e: unknown) => e);
    expect(err).toMatchObject(expected);
    expect(JSON.stringify(err) + String(err)).not.toContain(TG_TOKEN);
    expect(posts((await s.poll()).items)).toHaveLength(1);
  });

  it('an HTML error page is the platform being down (retried), a truncated body an invalid response; the raw text is kept', async () => {
    const s = setup();
    await s.poll();
    s.tg.origin.failNext(failures.serverError);
    await expect(s.poll()).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true, details: { raw: expect.stringContaining('502 Bad Gateway') } });
    s.tg.origin.failNext(failures.truncated('{"ok":true,"result":[{"update_id":1,'));
    await expect(s.poll()).rejects.toMatchObject({ code: 'PLATFORM_RESPONSE_INVALID' });
  });

  it('network failures are retryable; a missing token stops the source', async () => {
    const s = setup();
    await s.poll();
    s.tg.origin.failNext(failures.timeout);
    await expect(s.poll()).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true });
    const none = source(s.tg, s.hub, 'x', {}, null);
    await expect(none.poll()).rejects.toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
  });
});

describe('Telegram official answers', () => {
  it('a channel post is answered in its discussion group, replying to its copy there — never as a post to the channel', async () => {
    const s = setup();
    s.tg.channelPost(1482, 'Яма на Ленина');
    await s.poll();
    const receipt = await s.c.reply({ postId: 'tg:-1001734567890:1482', idempotencyKey: 'k1' }, 'Здравствуйте! Яму заделают завтра.');
    const copy = s.tg.copies.get(1482);
    expect(s.tg.sent).toEqual([{ chat_id: DISCUSSION.id, text: 'Здравствуйте! Яму заделают завтра.', reply_to: copy?.message_id, message_id: expect.any(Number), to: 'supergroup' }]);
    expect(receipt).toMatchObject({ platformId: expect.stringMatching(/^tg:-1001987654321:/), url: expect.stringMatching(/^https:\/\/t\.me\/ensk_online_chat\//) });
    const body = JSON.parse(s.tg.origin.requests.find((r) => r.path.endsWith('/sendMessage'))?.body ?? '{}') as { reply_parameters: unknown };
    expect(body.reply_parameters).toEqual({ message_id: copy?.message_id, allow_sending_without_reply: false });
  });

  it('a comment is answered in the group, replying to it', async () => {
    const s = setup();
    s.tg.channelPost(1, 'пост');
    await s.poll();
    const c = s.tg.comment(1, 'Когда починят?');
    await s.poll();
    await s.c.reply({ postId: `tg:${DISCUSSION.id}:${c.message_id}`, idempotencyKey: 'k2' }, 'Завтра');
    expect(s.tg.sent).toMatchObject([{ chat_id: DISCUSSION.id, reply_to: c.message_id, to: 'supergroup' }]);
  });

  it('a channel without a discussion group, or a post whose copy the bot never saw, is refused saying why; nothing is sent', async () => {
    const noGroup = new FakeTelegram();
    noGroup.discussion = undefined;
    const a = source(noGroup, new MemoryBotUpdateHub());
    noGroup.channelPost(5, 'пост');
    await a.poll();
    await expect(a.c.reply({ postId: 'tg:-1001734567890:5', idempotencyKey: 'k' }, 'x')).rejects.toMatchObject({ code: 'REPLY_NOT_POSSIBLE', details: { reason: 'no-discussion-group' } });
    expect(noGroup.sent).toEqual([]);
    const s = setup();
    await expect(s.c.reply({ postId: 'tg:-1001734567890:999', idempotencyKey: 'k' }, 'x')).rejects.toMatchObject({ code: 'REPLY_NOT_POSSIBLE', details: { reason: 'copy-unknown' } });
    expect(s.tg.sent).toEqual([]);
  });

  it('a refused answer is a typed error without the token; a non-Telegram post id is refused before any call', async () => {
    const s = setup();
    s.tg.channelPost(1, 'пост');
    await s.poll();
    s.tg.failMethod('sendMessage', 403, 'Forbidden: bot was kicked from the supergroup chat');
    const err = await s.c.reply({ postId: 'tg:-1001734567890:1', idempotencyKey: 'k1' }, 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
    expect(String(err) + JSON.stringify(err)).not.toContain(TG_TOKEN);
    await expect(s.c.reply({ postId: 'vk:-1_2', idempotencyKey: 'k1' }, 'x')).rejects.toMatchObject({ code: 'PLATFORM_ERROR' });
  });
});
