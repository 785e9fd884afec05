import type Database from 'better-sqlite3';
import { OtklikError } from '../../../core/errors.js';
import type { SearchQuery, SearchResult, SlaQuery, SlaRow, TermCount, TermsQuery, TrendBucket, TrendQuery } from '../../../core/search/query.js';
import type { SpikeQuery, SpikeRecord } from '../../../core/spikes/spike.js';
import type { CaptureWindow, MirroredIncident, IndexedPost, IndexOutcome, ReadOptions, SearchBackendStatus, SearchIndex } from '../../../ports/search-index.js';
import { ReaderPool } from './reader-pool.js';
import { IndexWriter } from './writer.js';
import { openIndexDb } from './schema.js';
import { purgePersonalData, writeIncidents, writePosts, writeSpikes } from './documents.js';
import { searchPosts, slaRows, spikeRows, termCounts, trendBuckets } from './queries.js';

/**
 * The embedded search index: SQLite with FTS5 through better-sqlite3, on disk, with the same
 * Russian analysis as the Elasticsearch templates (ё→е, lower case, stems for words, exact words
 * for phrases). The default backend when no ELASTICSEARCH_URL is configured. Its parts, like its
 * Elasticsearch twin's: the schema (schema.ts), the writes (documents.ts), the reads (queries.ts).
 */
export interface EmbeddedIndexOptions {
  /**
   * Reader threads for searches, trends and aggregations (0: read on the caller's thread, as a
   * script may). Reads never run on the event loop that serves the API and the workers.
   */
  readers?: number;
  /** A read that takes longer is stopped and refused (SEARCH_QUERY_TIMEOUT). */
  queryTimeoutMs?: number;
  /**
   * Writes on a writer thread of their own (default for an index on disk): inserts and FTS updates
   * never hold the event loop that serves the API and runs the pipeline. False writes on the
   * caller's thread, as a script or a benchmark of the writes alone may.
   */
  writerThread?: boolean;
}

export class EmbeddedSearchIndex implements SearchIndex {
  readonly backend = 'embedded';
  private readonly db: Database.Database;
  private readonly readers: ReaderPool | undefined;
  /** Started at the first write: a role that only reads (the API of a split deployment) never pays for the thread. */
  private startedWriter: IndexWriter | undefined;
  private readonly writes: boolean;

  constructor(
    readonly path: string,
    opts: EmbeddedIndexOptions = {},
  ) {
    this.db = openIndexDb(path);
    const size = path === ':memory:' ? 0 : (opts.readers ?? 2);
    this.readers = size > 0 ? new ReaderPool({ path, size, queryTimeoutMs: opts.queryTimeoutMs ?? 15_000, maxWaiting: size * 8 }) : undefined;
    // The schema is made (and migrated) above, on this thread, before the writer opens the file.
    this.writes = path !== ':memory:' && opts.writerThread !== false;
  }

  private get writer(): IndexWriter | undefined {
    if (this.writes && !this.startedWriter) this.startedWriter = new IndexWriter(this.path);
    return this.startedWriter;
  }

  async indexPosts(docs: readonly IndexedPost[]): Promise<IndexOutcome> {
    if (docs.length === 0) return { rejected: [] };
    if (this.writer) await this.writer.run({ op: 'posts', docs });
    else this.run(() => writePosts(this.db, docs));
    return { rejected: [] };
  }

  async indexIncidents(items: readonly MirroredIncident[]): Promise<void> {
    if (items.length === 0) return;
    if (this.writer) await this.writer.run({ op: 'incidents', items });
    else this.run(() => writeIncidents(this.db, items));
  }

  async search(q: SearchQuery, opts: ReadOptions = {}): Promise<SearchResult> {
    return this.readers ? this.readers.run({ op: 'search', query: q }, opts.signal) : this.run(() => searchPosts(this.db, q));
  }

  async trends(q: TrendQuery, opts: ReadOptions = {}): Promise<TrendBucket[]> {
    return this.readers ? this.readers.run({ op: 'trends', query: q }, opts.signal) : this.run(() => trendBuckets(this.db, q));
  }

  async terms(q: TermsQuery, opts: ReadOptions = {}): Promise<TermCount[]> {
    return this.readers ? this.readers.run({ op: 'terms', query: q }, opts.signal) : this.run(() => termCounts(this.db, q));
  }

  async sla(q: SlaQuery, now: Date, opts: ReadOptions = {}): Promise<SlaRow[]> {
    return this.readers ? this.readers.run({ op: 'sla', query: q, now: now.getTime() }, opts.signal) : this.run(() => slaRows(this.db, q, now));
  }

  async indexSpikes(spikes: readonly SpikeRecord[]): Promise<void> {
    if (spikes.length === 0) return;
    if (this.writer) await this.writer.run({ op: 'spikes', spikes });
    else this.run(() => writeSpikes(this.db, spikes));
  }

  async spikes(q: SpikeQuery, opts: ReadOptions = {}): Promise<SpikeRecord[]> {
    return this.readers ? this.readers.run({ op: 'spikes', query: q }, opts.signal) : this.run(() => spikeRows(this.db, q));
  }

  async status(): Promise<SearchBackendStatus> {
    try {
      // The highest row ids, not count(*): health must answer in a moment on an index of millions.
      const n = (this.db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM posts').get() as { n: number }).n;
      const i = (this.db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM incidents').get() as { n: number }).n;
      return { backend: this.backend, configured: true, ok: true, message: `embedded index ${this.path}: ${n} posts, ${i} incidents` };
    } catch (e) {
      return { backend: this.backend, configured: true, ok: false, message: `embedded index ${this.path}: ${(e as Error).message}` };
    }
  }

  async purgePersonalData(window: CaptureWindow): Promise<number> {
    return this.writer ? this.writer.run<number>({ op: 'purge', window }) : this.run(() => purgePersonalData(this.db, window));
  }

  async close(): Promise<void> {
    await this.startedWriter?.close();
    await this.readers?.close();
    if (this.db.open) this.db.close();
  }

  /** SQLite errors become typed ones; a malformed FTS expression cannot happen (tokens are quoted). */
  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof OtklikError) throw e;
      const code = (e as { code?: string }).code ?? '';
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_IOERR' || code === 'SQLITE_FULL';
      throw new OtklikError('SEARCH_INDEX_FAILED', `embedded index: ${(e as Error).message}`, { cause: e, retryable: busy });
    }
  }
}
