import { describe, expect, it } from 'vitest';
import type { Connector, PollItem } from '../../src/connector/connector.js';

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
  fail?: Partial<Record<'rateLimit' | 'serverError' | 'timeout' | 'auth' | 'malformed', () => void>>;
  /** The code a rate limit surfaces with and how long it says to wait. */
  rateLimitSeconds?: number;
}

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

    const failures: [keyof NonNullable<PlatformFixture['fail']>, string, boolean][] = [
      ['rateLimit', 'PLATFORM_RATE_LIMITED', true],
      ['serverError', 'PLATFORM_UNAVAILABLE', true],
      ['timeout', 'PLATFORM_UNAVAILABLE', true],
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
