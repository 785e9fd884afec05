import { describe, expect, it } from 'vitest';
import type { BotUpdateHub } from '../../src/connector/bot-update-hub.js';

/** What every bot update hub does, in memory or in Redis. `make` gives a fresh, empty hub. */
export function botUpdateHubConformance(name: string, make: () => BotUpdateHub | Promise<BotUpdateHub>): void {
  describe(`bot update hub: ${name}`, () => {
    const updates = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ update_id: from + i }));

    it('what one reader reads lands in every subscriber\'s inbox, with the offset after it', async () => {
      const hub = await make();
      await hub.subscribe('bot1', 'a');
      await hub.subscribe('bot1', 'b');
      let seen: number | undefined = -1;
      expect(await hub.readExclusive('bot1', 10_000, async (offset) => ((seen = offset), { updates: updates(1, 3), nextOffset: 4 }))).toBe(true);
      expect(seen).toBeUndefined();
      await hub.readExclusive('bot1', 10_000, async (offset) => ((seen = offset), { updates: [], nextOffset: offset ?? 0 }));
      expect(seen).toBe(4);
      for (const s of ['a', 'b']) expect((await hub.inbox('bot1', s, '', 10)).map((e) => (e.update as { update_id: number }).update_id)).toEqual([1, 2, 3]);
      // Another bot is another world.
      expect(await hub.inbox('bot2', 'a', '', 10)).toEqual([]);
    });

    it('an inbox is read from a position, in pages, and trimmed up to a position', async () => {
      const hub = await make();
      await hub.subscribe('bot', 's');
      await hub.readExclusive('bot', 10_000, async () => ({ updates: updates(1, 5), nextOffset: 6 }));
      const page = await hub.inbox('bot', 's', '', 2);
      expect(page.map((e) => (e.update as { update_id: number }).update_id)).toEqual([1, 2]);
      const rest = await hub.inbox('bot', 's', page[1]?.position ?? '', 10);
      expect(rest.map((e) => (e.update as { update_id: number }).update_id)).toEqual([3, 4, 5]);
      await hub.trim('bot', 's', rest[0]?.position ?? '');
      // Entries before the position are gone; the one at it may stay (it is read past, never again).
      expect((await hub.inbox('bot', 's', '', 10)).map((e) => (e.update as { update_id: number }).update_id)).toEqual([3, 4, 5]);
      expect(await hub.inbox('bot', 's', rest[2]?.position ?? '', 10)).toEqual([]);
    });

    it('one reader at a time: a second read while the first runs is refused at once', async () => {
      const hub = await make();
      let release!: () => void;
      const first = hub.readExclusive('bot', 10_000, () => new Promise((r) => (release = () => r({ updates: [], nextOffset: 1 }))));
      await new Promise((r) => setTimeout(r, 20));
      expect(await hub.readExclusive('bot', 10_000, async () => ({ updates: [], nextOffset: 1 }))).toBe(false);
      release();
      expect(await first).toBe(true);
      expect(await hub.readExclusive('bot', 10_000, async () => ({ updates: [], nextOffset: 1 }))).toBe(true);
    });

    it('a read that fails delivers nothing and keeps the offset; the bot is free again', async () => {
      const hub = await make();
      await hub.subscribe('bot', 's');
      await expect(hub.readExclusive('bot', 10_000, async () => Promise.reject(new Error('429')))).rejects.toThrow('429');
      let seen: number | undefined = -1;
      expect(await hub.readExclusive('bot', 10_000, async (offset) => ((seen = offset), { updates: [], nextOffset: 0 }))).toBe(true);
      expect(seen).toBeUndefined();
      expect(await hub.inbox('bot', 's', '', 10)).toEqual([]);
    });

    it('a source subscribing later gets what is read from then on; the offset never moves back', async () => {
      const hub = await make();
      await hub.subscribe('bot', 'a');
      await hub.readExclusive('bot', 10_000, async () => ({ updates: updates(1, 2), nextOffset: 3 }));
      await hub.subscribe('bot', 'b');
      await hub.readExclusive('bot', 10_000, async () => ({ updates: updates(3, 1), nextOffset: 2 }));
      expect((await hub.inbox('bot', 'b', '', 10)).map((e) => (e.update as { update_id: number }).update_id)).toEqual([3]);
      let seen: number | undefined;
      await hub.readExclusive('bot', 10_000, async (offset) => ((seen = offset), { updates: [], nextOffset: 0 }));
      expect(seen).toBe(3);
    });

    it('links are kept both ways, for the keys that have one', async () => {
      const hub = await make();
      await hub.link('bot', '-100111:5', '-100222:9051', 60);
      const m = await hub.linked('bot', ['-100111:5', '-100222:9051', '-100111:6']);
      expect([...m]).toEqual([
        ['-100111:5', '-100222:9051'],
        ['-100222:9051', '-100111:5'],
      ]);
      expect((await hub.linked('other', ['-100111:5'])).size).toBe(0);
      expect((await hub.linked('bot', [])).size).toBe(0);
    });
  });
}
