import type { Post } from '../core/post.js';
import type { Classifier, ParentContext, PostContext } from '../core/classify/classifier.js';
import { toOtklikError, type OtklikError } from '../core/errors.js';
import type { AnalyzedPost } from './payloads.js';

export interface StageFailure<T> {
  item: T;
  error: OtklikError;
}

/**
 * Classifies each post; one post that breaks the classifier is set aside, the rest carry on. A
 * comment is judged with the post it answers: from this batch (posts go first), or from `parents`
 * (what earlier batches made of them).
 */
export function analyzePosts(
  posts: readonly Post[],
  classifier: Classifier,
  now: Date,
  parents: ReadonlyMap<string, ParentContext> = new Map(),
  /** Sources whose every post is an appeal (their own alert policy). */
  everyPostActionable: (sourceId: string) => boolean = () => false,
): { analyzed: AnalyzedPost[]; failed: StageFailure<Post>[] } {
  const analyzedAt = now.toISOString();
  const analyzed: AnalyzedPost[] = [];
  const failed: StageFailure<Post>[] = [];
  const known = new Map(parents);
  const ordered = [...posts.filter((p) => p.kind === 'post'), ...posts.filter((p) => p.kind !== 'post')];
  for (const post of ordered) {
    try {
      const parent = post.parentId === undefined ? undefined : known.get(post.parentId);
      const context: PostContext = {
        ...(post.territory === undefined ? {} : { territory: post.territory }),
        kind: post.kind,
        ...(everyPostActionable(post.sourceId) ? { everyPostActionable: true } : {}),
        ...(post.parentId === undefined ? {} : { parent: { id: post.parentId, ...(parent ?? {}) } }),
      };
      const classification = classifier.classify(post.text, context);
      analyzed.push({ post, classification, analyzedAt });
      if (post.kind === 'post') known.set(post.id, { topic: classification.topics[0]?.id ?? 'other', problem: classification.problem?.reported ?? false });
    } catch (e) {
      failed.push({ item: post, error: toOtklikError(e, 'STAGE_FAILED') });
    }
  }
  return { analyzed, failed };
}

/** The parents a batch's comments answer that are not in the batch itself. */
export function parentsOutside(posts: readonly Post[]): string[] {
  const inBatch = new Set(posts.map((p) => p.id));
  return [...new Set(posts.flatMap((p) => (p.parentId !== undefined && !inBatch.has(p.parentId) ? [p.parentId] : [])))];
}
