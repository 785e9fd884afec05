import type { Post } from '../core/post.js';
import type { Classification } from '../core/classify/classifier.js';

/** One post as the search index stores it: the post, its classification, and what routing did. */
export interface IndexedPost {
  post: Post;
  classification: Classification;
  incidentId?: string;
  analyzedAt: string;
  routedAt: string;
}

export interface SearchBackendStatus {
  backend: string;
  configured: boolean;
  ok: boolean;
  message: string;
}

/** The port every search backend implements (Elasticsearch and the embedded index come next). */
export interface SearchIndex {
  readonly backend: string;
  /** Upsert by post id and revision; writing the same document twice must be harmless. */
  indexPosts(docs: readonly IndexedPost[]): Promise<void>;
  status(): Promise<SearchBackendStatus>;
  close(): Promise<void>;
}
