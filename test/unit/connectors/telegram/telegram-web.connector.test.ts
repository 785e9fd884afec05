import { describe, expect, it } from 'vitest';
import { TelegramWebConnector, telegramWebOptionsSchema, type TelegramWebCursor } from '../../../../connectors/telegram/telegram-web.connector.js';
import type { PollItem } from '../../../../src/connector/connector.js';
import { failures } from '../../../fixtures/http.js';
import { FakeTme } from '../../../fixtures/telegram-web.js';

function setup(options: Record<string, unknown> = {}) {
  const tme = new FakeTme('ensk_online');
  const c = new TelegramWebConnector(
    { id: 'tg-web', type: 'telegram-web', territory: 'г. Энск', options: telegramWebOptionsSchema.parse({ channel: 'ensk_online', ...options }) },
    { resolvePath: (p) => p, now: () => new Date('2026-11-21T10:00:00Z'), secret: () => undefined, http: tme.http },
  );
  let cursor: TelegramWebCursor = c.initialCursor();
  const poll = async () => {
    const r = await c.poll(cursor, { limit: 500 });
    cursor = r.nextCursor;
    return r.items;
  };
  return { tme, c, poll };
}
const posts = (items: PollItem[]) => items.flatMap((i) => (i.ok ? [i.post] : []));

describe('Telegram channel web preview', () => {
  it('takes the newest page first, then pages back with before= to the last post taken: no gap', async () => {
    const s = setup();
    for (let i = 1; i <= 10; i++) s.tme.publish(i, `пост ${i}`);
    expect(posts(await s.poll())).toHaveLength(10);
    for (let i = 11; i <= 55; i++) s.tme.publish(i, `пост ${i}`);
    const got = posts(await s.poll());
    expect(got.map((p) => p.text)).toEqual(Array.from({ length: 45 }, (_, i) => `пост ${i + 11}`));
    expect(s.tme.origin.requests.map((r) => r.path)).toEqual(['/s/ensk_online', '/s/ensk_online', '/s/ensk_online?before=36', '/s/ensk_online?before=16']);
    expect(got[0]).toMatchObject({ id: 'tg:@ensk_online:11', permalink: 'https://t.me/ensk_online/11', engagement: { views: 111 }, territory: 'г. Энск' });
  });

  it('skips service messages and never takes a quoted post as the answer\'s text (markup as t.me places it)', async () => {
    const s = setup();
    s.tme.publish(1, 'На Ленина яма');
    s.tme.publish(2, 'Channel photo updated', { service: true });
    s.tme.publish(3, 'Обещают заделать к пятнице', { replyTo: { id: 1, text: 'На Ленина яма' } });
    expect(posts(await s.poll()).map((p) => [p.id, p.text])).toEqual([
      ['tg:@ensk_online:1', 'На Ленина яма'],
      ['tg:@ensk_online:3', 'Обещают заделать к пятнице'],
    ]);
  });

  it('uses the Bot API id scheme when the channel id is configured', async () => {
    const s = setup({ chatId: -1001734567890 });
    s.tme.publish(1, 'пост');
    expect(posts(await s.poll())[0]?.id).toBe('tg:-1001734567890:1');
  });

  it('an edit seen on re-read is a new revision; a post gone from two reads is a tombstone', async () => {
    const s = setup();
    for (let i = 1; i <= 5; i++) s.tme.publish(i, `пост ${i}`);
    await s.poll();
    s.tme.edit(3, 'пост 3 (исправлен)');
    expect(posts(await s.poll()).map((p) => [p.id, p.text])).toEqual([['tg:@ensk_online:3', 'пост 3 (исправлен)']]);
    s.tme.posts.delete(2);
    expect(posts(await s.poll())).toEqual([]);
    expect(posts(await s.poll())).toMatchObject([{ id: 'tg:@ensk_online:2', text: 'пост 2', deletedAt: '2026-11-21T10:00:00.000Z' }]);
  });

  it('429 waits as long as Retry-After says; a channel without a preview (redirect) stops the source', async () => {
    const s = setup();
    s.tme.origin.failNext(failures.answer({ status: 429, body: 'Too Many Requests', headers: { 'retry-after': '42' } }));
    await expect(s.poll()).rejects.toMatchObject({ code: 'PLATFORM_RATE_LIMITED', details: { retryAfterS: 42 } });
    const gone = new TelegramWebConnector({ id: 'x', type: 'telegram-web', options: telegramWebOptionsSchema.parse({ channel: 'private_one' }) }, { resolvePath: (p) => p, now: () => new Date(), secret: () => undefined, http: s.tme.http });
    await expect(gone.poll(gone.initialCursor(), { limit: 10 })).rejects.toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
  });

  it('a page that is not a channel history is an invalid response with the page kept, not "no posts"', async () => {
    const s = setup();
    s.tme.origin.failNext(failures.answer({ status: 200, body: '<html><body>Please enable JavaScript</body></html>' }));
    await expect(s.poll()).rejects.toMatchObject({ code: 'PLATFORM_RESPONSE_INVALID', details: { raw: expect.stringContaining('enable JavaScript') } });
  });
});
