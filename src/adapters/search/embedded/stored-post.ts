import type { IndexedPost } from '../../../ports/search-index.js';
import type { Post } from '../../../core/post.js';

/**
 * A post's document as the embedded index keeps it: the indexed post without what the row holds
 * in its own columns or can derive again, which at a million posts is a third of the file. Left
 * out: the text and the post's identity, platform, source, link and times (the row's columns; a
 * time only when its column gives back the same string), the classification's explanation (900
 * of a document's 1,700 bytes, read from the incident and the classifier, never from this index)
 * and the near-duplicate fingerprint (a 512-character signature only the pipeline compares,
 * recomputed from the text). Elasticsearch keeps its own document for Kibana.
 */
export function packPost(d: IndexedPost): string {
  const { explain: _explain, fingerprint: _fingerprint, ...classification } = d.classification;
  const { text: _text, id: _id, revision: _revision, platform: _platform, sourceId: _sourceId, permalink: _permalink, createdAt, capturedAt, ...post } = d.post;
  return JSON.stringify({
    ...d,
    post: { ...post, ...(sameInstant(createdAt) ? {} : { createdAt }), ...(sameInstant(capturedAt) ? {} : { capturedAt }) },
    classification,
  });
}

/** The columns of a posts row that packPost leaves to the row. */
export interface PostColumns {
  id: string;
  revision: string;
  platform: string;
  source: string;
  permalink: string | null;
  created_at: number;
  captured_at: number;
  text: string;
  doc: string;
}

/** What was indexed, read back from a row: the indexed post without explanation or fingerprint. */
export type StoredPost = Omit<IndexedPost, 'classification'> & { classification: Omit<IndexedPost['classification'], 'explain' | 'fingerprint'> };

/** The document as packPost writes it (older documents still hold every field: they are optional here). */
type PackedPost = Omit<StoredPost, 'post'> & { post: Omit<Post, LeftToColumns> & Partial<Pick<Post, LeftToColumns>> };
type LeftToColumns = 'id' | 'revision' | 'platform' | 'sourceId' | 'permalink' | 'text' | 'createdAt' | 'capturedAt';

export function unpackPost(row: PostColumns): StoredPost {
  const stored = JSON.parse(row.doc) as PackedPost;
  // Documents written before the fields moved out keep their own; the columns say the same.
  const post: Post = {
    ...stored.post,
    id: row.id,
    revision: row.revision,
    platform: row.platform as Post['platform'],
    sourceId: row.source,
    text: row.text,
    ...(row.permalink === null ? {} : { permalink: row.permalink }),
    createdAt: stored.post.createdAt ?? new Date(row.created_at).toISOString(),
    capturedAt: stored.post.capturedAt ?? new Date(row.captured_at).toISOString(),
  };
  return { ...stored, post };
}

/** Whether a time's column (milliseconds) gives back exactly this string. */
function sameInstant(iso: string): boolean {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso;
}
