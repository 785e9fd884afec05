import { describe, expect, it } from 'vitest';
import type { Connector, PollItem, ReplyTarget } from '../../src/connector/connector.js';

/**
 * A platform as a test sees it: it holds posts, can be told to fail in the ways platforms fail, and
 * builds a connector that talks to it. Each connector provides one; every connector runs this suite.
 */
export interface PlatformFixture {
  /** Makes the platform hold posts numbered 1..n (texts "post <i>"). */
  publish(n: number): void;
  /** Edits post i (a new text). */
  edit(i: number, text: string): void;
  connector(): Connector;
  /** Failure modes the platform can produce; absent ones are not applicable (e.g. a replay file). */
  fail?: Partial<Record<'rateLimit' | 'serverError' | 'timeout' | 'reset' | 'auth' | 'malformed', () => void>>;
  /** The code a rate limit surfaces with and how long it says to wait. */
  rateLimitSeconds?: number;
  /** The platform stops showing post i (deleted); absent where deletions cannot be seen. */
  remove?(i: number): void;
  /** Pins post i: the platform lists it first although it is old. */
  pin?(i: number): void;
  /** For connectors that can answer. */
  reply?: {
    /** What the engine passes besides the post id (credentials by name). */
    target: Omit<ReplyTarget, 'postId' | 'idempotencyKey'>;
    /** Answers the platform holds under post i. */
    answers(i: number): number;
    /** The platform acts on the next request but its answer is lost. */
    loseNextResponse(): void;
    /**
     * Whether a retry after a lost answer still posts once (a platform idempotency key, or a read
     * before writing). Telegram has neither: there the engine's receipts are the only guard.
     */
    idempotentAfterLostResponse: boolean;
  };
}

const byText = (items: PollItem[], text: string) => items.find((i) => i.ok && i.post.text === text);
const ids = (items: PollItem[]) => items.filter((i) => i.ok).map((i) => (i.ok ? i.post.id : ''));

async function drain(c: Connector, cursor: unknown, limit = 100): Promise<{ items: PollItem[]; cursor: unknown }> {
  const items: PollItem[] = [];
  let cur = cursor;
  for (let i = 0; i < 50; i++) {
    const page = await c.poll(cur, { limit });
    items.push(...page.items);
    cur = page.nextCursor;
    if (!page.more) break;
  }
  return { items, cursor: cur };
}

export function connectorConformance(name: string, make: () => PlatformFixture): void {
  describe(`connector conformance: ${name}`, () => {
    it('first poll returns what is there, oldest first; an empty poll keeps the cursor', async () => {
      const f = make();
      f.publish(3);
      const c = f.connector();
      const first = await drain(c, c.initialCursor());
      expect(ids(first.items)).toHaveLength(3);
      const again = await c.poll(first.cursor, { limit: 100 });
      expect(again.items).toEqual([]);
      expect(again.nextCursor).toEqual(first.cursor);
    });

    it('an incremental poll returns only what is new: no gap, no duplicate', async () => {
      const f = make();
      f.publish(3);
      const c = f.connector();
      const first = await drain(c, c.initialCursor());
      f.publish(5);
      const next = await drain(c, first.cursor);
      const all = [...ids(first.items), ...ids(next.items)];
      expect(all).toHaveLength(5);
      expect(new Set(all).size).toBe(5);
    });

    it('pages: a small limit reads everything across several polls', async () => {
      const f = make();
      f.publish(7);
      const c = f.connector();
      const r = await drain(c, c.initialCursor(), 2);
      expect(new Set(ids(r.items)).size).toBe(7);
    });

    it('an edit comes back as a new revision of the same post', async () => {
      const f = make();
      f.publish(2);
      const c = f.connector();
      const first = await drain(c, c.initialCursor());
      f.edit(2, 'post 2, edited');
      const next = await drain(c, first.cursor);
      const before = first.items.find((i) => i.ok && i.post.text === 'post 2');
      const after = next.items.find((i) => i.ok && i.post.text === 'post 2, edited');
      expect(before?.ok && after?.ok && before.post.id === after.post.id && before.post.revision !== after.post.revision).toBe(true);
    });

    it.skipIf(make().remove === undefined)('a deleted post becomes a tombstone: same id, last text kept, deletedAt set; nothing else', async () => {
      const f = make();
      f.publish(3);
      const c = f.connector();
      const first = await drain(c, c.initialCursor());
      const before = byText(first.items, 'post 2');
      f.remove?.(2);
      const later: PollItem[] = [];
      let cursor = first.cursor;
      for (let i = 0; i < 3; i++) {
        const r = await drain(c, cursor);
        later.push(...r.items);
        cursor = r.cursor;
      }
      expect(later).toHaveLength(1);
      const t = later[0];
      expect(t?.ok && before?.ok && t.post.id === before.post.id && t.post.text === 'post 2' && t.post.deletedAt !== undefined && t.post.revision !== before.post.revision).toBe(true);
    });

    it.skipIf(make().pin === undefined)('a pinned old post listed first neither stops reading nor comes back', async () => {
      const f = make();
      f.publish(3);
      const c = f.connector();
      const first = await drain(c, c.initialCursor());
      f.pin?.(1);
      f.publish(30);
      const next = await drain(c, first.cursor);
      expect(new Set(ids(next.items)).size).toBe(ids(next.items).length);
      expect(new Set([...ids(first.items), ...ids(next.items)]).size).toBe(30);
      expect(ids(next.items)).toHaveLength(27);
    });

    it.skipIf(make().reply === undefined)('reply: the answer is published under the post, with the platform\'s id for the record', async () => {
      const f = make();
      f.publish(2);
      const c = f.connector();
      const post = byText((await drain(c, c.initialCursor())).items, 'post 2');
      if (!post?.ok || !c.reply || !f.reply) throw new Error('fixture cannot reply');
      const receipt = await c.reply({ ...f.reply.target, postId: post.post.id, idempotencyKey: 'inc-1.1' }, 'Здравствуйте! Передано в службу.');
      expect(receipt.platformId).toMatch(new RegExp(`^${post.post.platform}:`));
      expect(Number.isNaN(Date.parse(receipt.publishedAt))).toBe(false);
      expect(f.reply.answers(2)).toBe(1);
    });

    it.skipIf(!make().reply?.idempotentAfterLostResponse)('reply: retried after a lost response, the answer is still published once', async () => {
      const f = make();
      f.publish(2);
      const c = f.connector();
      const post = byText((await drain(c, c.initialCursor())).items, 'post 2');
      if (!post?.ok || !c.reply || !f.reply) throw new Error('fixture cannot reply');
      const target = { ...f.reply.target, postId: post.post.id, idempotencyKey: 'inc-1.2' };
      f.reply.loseNextResponse();
      await expect(c.reply(target, 'Ответ')).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true });
      await c.reply(target, 'Ответ');
      expect(f.reply.answers(2)).toBe(1);
    });

    const failures: [keyof NonNullable<PlatformFixture['fail']>, string, boolean][] = [
      ['rateLimit', 'PLATFORM_RATE_LIMITED', true],
      ['serverError', 'PLATFORM_UNAVAILABLE', true],
      ['timeout', 'PLATFORM_UNAVAILABLE', true],
      ['reset', 'PLATFORM_UNAVAILABLE', true],
      ['auth', 'PLATFORM_AUTH_FAILED', false],
      ['malformed', 'PLATFORM_RESPONSE_INVALID', true],
    ];
    // Failure modes a source cannot have (a replay file has no rate limit) are skipped, not passed.
    const modes = make().fail ?? {};
    for (const [mode, code, retryable] of failures) {
      it.skipIf(modes[mode] === undefined)(`${mode}: a typed error (${code}), and the cursor stays where it was`, async () => {
        const f = make();
        const fail = f.fail?.[mode];
        if (!fail) throw new Error(`fixture has no ${mode} failure`);
        f.publish(2);
        const c = f.connector();
        fail();
        const cursor = c.initialCursor();
        const err = await c.poll(cursor, { limit: 100 }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code, retryable });
        if (mode === 'rateLimit') expect((err as { details: { retryAfterS?: number } }).details.retryAfterS).toBe(f.rateLimitSeconds);
        // Nothing was lost: the next poll from the same cursor returns everything.
        const r = await drain(c, cursor);
        expect(ids(r.items)).toHaveLength(2);
      });
    }
  });
}
