import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from '../../../../../src/adapters/search/embedded/embedded.search-index.js';
import { parseQuery, searchQuerySchema, termsQuerySchema, trendQuerySchema } from '../../../../../src/core/search/query.js';
import { doc } from '../../../../helpers/search-conformance.js';

/**
 * The daily counts answer counts, trends and top values without reading the posts; they must say
 * exactly what counting the posts says, for any filters and any period (ends inside a day
 * included), after edits that move a post to another topic or day. Checked against the same
 * questions answered from the documents themselves, on seeded random posts.
 */
const TOPICS = ['roads', 'housing', 'snow', 'waste'];
const TERRITORIES = ['г. Энск', 'г. Энск, Северный район', 'Сосновка', undefined];
const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
const TYPES = ['complaint', 'question', 'other'] as const;
const PLATFORMS = ['vk', 'ok', 'tg'] as const;

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('the embedded index’s daily counts', () => {
  it('give the answers counting the posts gives, for random filters and periods, after edits', async () => {
    const rand = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const start = Date.parse('2026-11-01T00:00:00Z');
    const spec = Array.from({ length: 600 }, (_, i) => ({
      id: `vk:-1_${i}`,
      text: 'пост',
      at: new Date(start + Math.floor(rand() * 20 * 86_400_000)).toISOString(),
      topic: pick(TOPICS),
      territory: pick(TERRITORIES),
      sentiment: pick(SENTIMENTS),
      type: pick(TYPES),
      platform: pick(PLATFORMS),
      ...(rand() < 0.3 ? { incidentId: `inc_${i}` } : {}),
    }));
    const path = join(mkdtempSync(join(tmpdir(), 'otklik-days-')), 'i.sqlite');
    const index = new EmbeddedSearchIndex(path, { readers: 0 });
    await index.indexPosts(spec.map(doc));
    // Edits: a later revision moves some posts to another topic and day; a stale one changes nothing.
    const edited = spec.slice(0, 60).map((s, k) => ({ ...s, topic: pick(TOPICS), at: new Date(Date.parse(s.at) + (k % 3) * 86_400_000).toISOString(), revision: 'r2', capturedAt: '2026-12-01T00:00:00Z' }));
    await index.indexPosts(edited.map(doc));
    await index.indexPosts(spec.slice(0, 10).map((s) => doc({ ...s, topic: 'stale', revision: 'r0', capturedAt: '2026-10-01T00:00:00Z' })));
    const final = [...edited, ...spec.slice(60)];

    // The same questions answered from the documents.
    const db = new Database(path, { readonly: true });
    type Row = { topic: string; territory: string | null; sentiment: string; type: string; platform: string; alert: number; created_at: number };
    const posts = db.prepare('SELECT topic, territory, sentiment, type, platform, alert, created_at FROM posts').all() as Row[];
    db.close();
    expect(posts).toHaveLength(final.length);

    for (let round = 0; round < 40; round++) {
      const raw: Record<string, string> = {};
      const match: ((p: Row) => boolean)[] = [];
      if (rand() < 0.5) {
        const t = pick(TOPICS);
        raw.topic = t;
        match.push((p) => p.topic === t);
      }
      if (rand() < 0.3) {
        const s = pick(SENTIMENTS);
        raw.sentiment = s;
        match.push((p) => p.sentiment === s);
      }
      if (rand() < 0.3) {
        raw.alert = 'true';
        match.push((p) => p.alert === 1);
      }
      if (rand() < 0.3) {
        const t = pick(TERRITORIES.filter((x): x is string => x !== undefined));
        raw.territory = t;
        match.push((p) => p.territory === t);
      }
      // Periods that start and end inside days, on day boundaries, or are open.
      if (rand() < 0.7) {
        const from = start + Math.floor(rand() * 10 * 86_400_000) * (rand() < 0.3 ? 0 : 1);
        raw.from = new Date(rand() < 0.3 ? Math.floor(from / 86_400_000) * 86_400_000 : from).toISOString();
        match.push((p) => p.created_at >= Date.parse(raw.from as string));
      }
      if (rand() < 0.7) {
        const to = start + (10 + Math.floor(rand() * 12)) * 86_400_000 + Math.floor(rand() * 86_400_000);
        raw.to = new Date(to).toISOString();
        match.push((p) => p.created_at < Date.parse(raw.to as string));
      }
      const expected = posts.filter((p) => match.every((m) => m(p)));
      const what = JSON.stringify(raw);

      expect((await index.search(parseQuery(searchQuerySchema, { ...raw, size: 1 }))).total, what).toBe(expected.length);

      const interval = pick(['day', 'week', 'month'] as const);
      const trend = await index.trends(parseQuery(trendQuerySchema, { ...raw, interval, by: 'topic' }));
      const bucket = (ms: number) => {
        const d = new Date(ms);
        if (interval === 'month') return `${d.toISOString().slice(0, 7)}-01T00:00:00Z`;
        const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
        const monday = interval === 'week' ? day - ((d.getUTCDay() + 6) % 7) * 86_400_000 : day;
        return new Date(monday).toISOString().replace('.000Z', 'Z');
      };
      const want = new Map<string, Record<string, number>>();
      for (const p of expected) {
        const b = want.get(bucket(p.created_at)) ?? {};
        b[p.topic] = (b[p.topic] ?? 0) + 1;
        want.set(bucket(p.created_at), b);
      }
      expect(Object.fromEntries(trend.map((b) => [b.key, b.by])), `${what} by ${interval}`).toEqual(Object.fromEntries([...want].sort(([a], [b]) => a.localeCompare(b))));
      expect(trend.map((b) => b.key)).toEqual([...trend.map((b) => b.key)].sort());

      const terms = await index.terms(parseQuery(termsQuerySchema, { ...raw, field: 'territory', size: 10 }));
      const byTerritory = new Map<string, number>();
      for (const p of expected) if (p.territory !== null) byTerritory.set(p.territory, (byTerritory.get(p.territory) ?? 0) + 1);
      expect(new Map(terms.map((t) => [t.key, t.count])), what).toEqual(byTerritory);
    }
    await index.close();
  });
});
