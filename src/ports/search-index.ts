import type { Post } from '../core/post.js';
import type { Classification } from '../core/classify/classifier.js';
import type { Incident } from '../core/incident/incident.js';
import type { AuditEvent } from '../core/incident/lifecycle.js';
import type { SpikeQuery, SpikeRecord } from '../core/spikes/spike.js';
import type { SearchQuery, SearchResult, SlaQuery, SlaRow, TermCount, TermsQuery, TrendBucket, TrendQuery } from '../core/search/query.js';

/** One post as the search index stores it: the post, its classification, and what routing did. */
export interface IndexedPost {
  post: Post;
  classification: Classification;
  incidentId?: string;
  analyzedAt: string;
  routedAt: string;
}

/** An incident as it stands after a transition, with the event that made it so. */
export interface MirroredIncident {
  incident: Incident;
  events: AuditEvent[];
}

export interface IndexOutcome {
  rejected: { postId: string; reason: string }[];
}

/** Posts captured from `from` (open when absent) up to, not including, `before`. */
export interface CaptureWindow {
  from?: Date;
  before: Date;
}

export interface SearchBackendStatus {
  backend: string;
  configured: boolean;
  ok: boolean;
  message: string;
}

/** How a read may be stopped: when its caller goes away (a closed connection), the backend stops working on it. */
export interface ReadOptions {
  signal?: AbortSignal;
}

/** The port every search backend implements: the embedded index and Elasticsearch. */
export interface SearchIndex {
  readonly backend: string;
  /**
   * Upsert by post id and revision; writing the same document twice must be harmless. Documents
   * the backend refuses for good (a mapping error) come back in `rejected`, for the dead-letter
   * queue; anything worth retrying throws a retryable error instead.
   */
  indexPosts(docs: readonly IndexedPost[]): Promise<IndexOutcome>;
  /**
   * Mirrors incidents (the document is replaced only by a higher version) and appends their audit
   * events (append-only: an event is identified by incident id and version).
   */
  indexIncidents(items: readonly MirroredIncident[]): Promise<void>;
  status(): Promise<SearchBackendStatus>;
  /**
   * Retention of personal data: drops the raw platform payload and the author of the posts
   * captured in `[from, before)` (text, classification and links stay). The sweeper moves the
   * window forward, so each document is touched once. Returns how many documents were visited.
   */
  purgePersonalData(window: CaptureWindow): Promise<number>;
  /** Full-text search with filters, sort and paging. */
  search(q: SearchQuery, opts?: ReadOptions): Promise<SearchResult>;
  /** Post counts over time (UTC buckets), optionally split by a field. */
  trends(q: TrendQuery, opts?: ReadOptions): Promise<TrendBucket[]>;
  /** The most frequent values of a field. */
  terms(q: TermsQuery, opts?: ReadOptions): Promise<TermCount[]>;
  /** First-response SLA compliance and response times per body, for clocks that ended in the period. */
  sla(q: SlaQuery, now: Date, opts?: ReadOptions): Promise<SlaRow[]>;
  /** Keeps spikes the watch found (upserted by key: a spike found again is one document). */
  indexSpikes(spikes: readonly SpikeRecord[]): Promise<void>;
  /** Kept spikes, newest hour first. */
  spikes(q: SpikeQuery, opts?: ReadOptions): Promise<SpikeRecord[]>;
  close(): Promise<void>;
}
