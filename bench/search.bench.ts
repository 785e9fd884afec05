import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded/embedded.search-index.js';
import { loadClassifier } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { parseReplayLine } from '../connectors/replay/replay-line.js';
import { parseQuery, searchQuerySchema, termsQuerySchema, trendQuerySchema } from '../src/core/search/query.js';
import { percentile } from '../src/core/numbers.js';
import { projectRoot } from '../src/paths.js';
import type { Post } from '../src/core/post.js';
import type { IndexedPost } from '../src/ports/search-index.js';

export interface SearchFigures {
  search_posts: number;
  search_index_posts_per_s: number;
  search_index_size_mb: number;
  search_query_p50_ms: number;
  search_query_p95_ms: number;
  [k: `search_${string}_p50_ms` | `search_${string}_p95_ms`]: number;
}

/** Batches of this many posts, this many at once (the index stage's concurrent jobs). */
const IN_FLIGHT = Number(process.env.BENCH_INDEX_IN_FLIGHT ?? 2);
const BATCH = Number(process.env.BENCH_INDEX_BATCH ?? 2000);

/**
 * Indexes `n` posts into a fresh embedded index (the demo corpus's texts, spread over a year,
 * with ids, territories and sources varied) and times a mix of queries on it.
 */
export async function benchSearch(n: number): Promise<SearchFigures> {
  const classifier = loadClassifier(loadConfig({}));
  const base: { post: Post; doc: Omit<IndexedPost, 'post'> }[] = [];
  readFileSync(join(projectRoot, 'connectors/replay/demo/corpus.jsonl'), 'utf8')
    .split('\n')
    .forEach((l, i) => {
      try {
        const post = parseReplayLine(l, 'demo', i + 1, { sourceId: 'demo', capturedAt: '2026-01-01T00:00:00Z' });
        if (!post) return;
        const c = classifier.classify(post.text);
        base.push({ post, doc: { classification: c, analyzedAt: post.createdAt, routedAt: post.createdAt } });
      } catch {
        /* the demo's broken lines */
      }
    });
  const dir = mkdtempSync(join(tmpdir(), 'otklik-bench-search-'));
  const path = join(dir, 'index.sqlite');
  const index = new EmbeddedSearchIndex(path);
  const territories = ['г. Энск', 'Сосновка', 'Заречный', 'Южный', 'Старый город', 'Берёзовая роща'];
  const yearStart = Date.parse('2025-11-01T00:00:00Z');
  try {
    const started = performance.now();
    let batch: IndexedPost[] = [];
    // The engine's index stage runs several jobs at once (PIPELINE_CONCURRENCY), so the writer
    // thread has the next batch in hand while the event loop builds another: two in flight here.
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const b = base[i % base.length] as (typeof base)[number];
      const at = new Date(yearStart + Math.floor((i / n) * 365 * 86_400_000)).toISOString();
      const { raw: _raw, ...post } = b.post;
      batch.push({ ...b.doc, post: { ...post, id: `${b.post.id}~${i}`, createdAt: at, capturedAt: at, territory: territories[i % territories.length], sourceId: `src-${i % 40}` } });
      if (batch.length === BATCH) {
        inFlight.push(index.indexPosts(batch));
        batch = [];
        if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
      }
    }
    inFlight.push(index.indexPosts(batch));
    await Promise.all(inFlight);
    const indexRate = Math.round(n / ((performance.now() - started) / 1000));

    const queries: Record<string, () => Promise<unknown>> = {
      word: () => index.search(parseQuery(searchQuerySchema, { q: 'яма', size: '20' })),
      phrase: () => index.search(parseQuery(searchQuerySchema, { q: '"горячей воды"', size: '20' })),
      boolean_filtered: () => index.search(parseQuery(searchQuerySchema, { q: '(снег OR гололед) -крыша', territory: 'Сосновка', from: '2026-01-01T00:00:00Z', size: '20' })),
      filter_only: () => index.search(parseQuery(searchQuerySchema, { topic: 'roads', sentiment: 'negative', size: '20' })),
      trends_month_by_topic: () => index.trends(parseQuery(trendQuerySchema, { interval: 'month', by: 'topic' })),
      terms_territory: () => index.terms(parseQuery(termsQuerySchema, { field: 'territory', q: 'мусор' })),
    };
    const figures: Record<string, number> = {};
    const all: number[] = [];
    for (const [name, run] of Object.entries(queries)) {
      await run();
      const times: number[] = [];
      for (let k = 0; k < 20; k++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      all.push(...times);
      figures[`search_${name}_p50_ms`] = round(percentile(times, 0.5));
      figures[`search_${name}_p95_ms`] = round(percentile(times, 0.95));
    }
    const sizeMb = Math.round((statSync(path).size + safeSize(`${path}-wal`)) / 2 ** 20);
    return {
      search_posts: n,
      search_index_posts_per_s: indexRate,
      search_index_size_mb: sizeMb,
      search_query_p50_ms: round(percentile(all, 0.5)),
      search_query_p95_ms: round(percentile(all, 0.95)),
      ...figures,
    };
  } finally {
    await index.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(v: number | null): number {
  return v === null ? -1 : Math.round(v * 10) / 10;
}

function safeSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}
