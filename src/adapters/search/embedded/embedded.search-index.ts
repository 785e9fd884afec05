import type Database from 'better-sqlite3';
import { OtklikError } from '../../../core/errors.js';
import type { SearchQuery, SearchResult, SlaQuery, SlaRow, TermCount, TermsQuery, TrendBucket, TrendQuery } from '../../../core/search/query.js';
import type { CaptureWindow, MirroredIncident, IndexedPost, IndexOutcome, SearchBackendStatus, SearchIndex } from '../../../ports/search-index.js';
import { openIndexDb } from './schema.js';
import { purgePersonalData, writeIncidents, writePosts } from './documents.js';
import { searchPosts, slaRows, termCounts, trendBuckets } from './queries.js';

/**
 * The embedded search index: SQLite with FTS5 through better-sqlite3, on disk, with the same
 * Russian analysis as the Elasticsearch templates (ё→е, lower case, stems for words, exact words
 * for phrases). The default backend when no ELASTICSEARCH_URL is configured. Its parts, like its
 * Elasticsearch twin's: the schema (schema.ts), the writes (documents.ts), the reads (queries.ts).
 */
export class EmbeddedSearchIndex implements SearchIndex {
  readonly backend = 'embedded';
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    this.db = openIndexDb(path);
  }

  async indexPosts(docs: readonly IndexedPost[]): Promise<IndexOutcome> {
    this.run(() => writePosts(this.db, docs));
    return { rejected: [] };
  }

  async indexIncidents(items: readonly MirroredIncident[]): Promise<void> {
    this.run(() => writeIncidents(this.db, items));
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    return this.run(() => searchPosts(this.db, q));
  }

  async trends(q: TrendQuery): Promise<TrendBucket[]> {
    return this.run(() => trendBuckets(this.db, q));
  }

  async terms(q: TermsQuery): Promise<TermCount[]> {
    return this.run(() => termCounts(this.db, q));
  }

  async sla(q: SlaQuery, now: Date): Promise<SlaRow[]> {
    return this.run(() => slaRows(this.db, q, now));
  }

  async status(): Promise<SearchBackendStatus> {
    try {
      const n = (this.db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n;
      const i = (this.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
      return { backend: this.backend, configured: true, ok: true, message: `embedded index ${this.path}: ${n} posts, ${i} incidents` };
    } catch (e) {
      return { backend: this.backend, configured: true, ok: false, message: `embedded index ${this.path}: ${(e as Error).message}` };
    }
  }

  async purgePersonalData(window: CaptureWindow): Promise<number> {
    return this.run(() => purgePersonalData(this.db, window));
  }

  async close(): Promise<void> {
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
