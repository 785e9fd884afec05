import { z } from 'zod';

/**
 * A post or comment as the engine sees it, whatever platform it came from.
 * Personal data is kept to what moderation needs: an author id and kind, no names.
 */
export const postSchema = z.object({
  /** Stable id as in the platform reference: `vk:{owner}_{id}`, `ok:{gid}:{topic}`, `tg:{chat}:{msg}`. */
  id: z.string().min(3).max(300),
  /** Changes when the text is edited; (id, revision) is the unit of processing. */
  revision: z.string().min(1).max(64),
  platform: z.enum(['vk', 'ok', 'tg']),
  kind: z.enum(['post', 'comment']),
  sourceId: z.string().min(1).max(200),
  community: z.object({ id: z.string().min(1), name: z.string().optional() }),
  author: z.object({ id: z.string().min(1), kind: z.enum(['user', 'community', 'unknown']) }).nullable(),
  parentId: z.string().optional(),
  text: z.string().max(200_000),
  createdAt: z.string().datetime(),
  editedAt: z.string().datetime().optional(),
  /** Set on a tombstone: the platform no longer shows the item; the last content is kept for audit. */
  deletedAt: z.string().datetime().optional(),
  permalink: z.string().url().optional(),
  engagement: z.object({
    likes: z.number().int().nonnegative().optional(),
    reposts: z.number().int().nonnegative().optional(),
    comments: z.number().int().nonnegative().optional(),
    views: z.number().int().nonnegative().optional(),
  }),
  territory: z.string().optional(),
  /** When the engine captured it; capture→routed latency is measured from here. */
  capturedAt: z.string().datetime(),
  /** The platform payload as received, for audit. */
  raw: z.unknown().optional(),
});

export type Post = z.infer<typeof postSchema>;

/** The key a post revision is processed under: one (id, revision) is processed exactly once. */
export function revisionKey(post: Pick<Post, 'id' | 'revision'>): string {
  return `${post.id}#${post.revision}`;
}

/** BullMQ job ids may not contain ':', which stable ids do; '.' never appears in them. */
export function toJobIdPart(stableId: string): string {
  return stableId.replaceAll(':', '.');
}

/**
 * The tombstone of a post the platform no longer shows: the same id, the last known content kept
 * for audit, a new revision so the pipeline records the deletion once.
 */
export function tombstone(post: Post, deletedAt: string, capturedAt: string): Post {
  return { ...post, deletedAt, capturedAt, revision: `${post.revision.slice(0, 16)}-deleted` };
}
