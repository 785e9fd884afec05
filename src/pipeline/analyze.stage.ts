import type { Post } from '../core/post.js';
import type { Classifier } from '../core/classify/classifier.js';
import { toOtklikError, type OtklikError } from '../core/errors.js';
import type { AnalyzedPost } from './payloads.js';

export interface StageFailure<T> {
  item: T;
  error: OtklikError;
}

/** Classifies each post; one post that breaks the classifier is set aside, the rest carry on. */
export function analyzePosts(
  posts: readonly Post[],
  classifier: Classifier,
  now: Date,
): { analyzed: AnalyzedPost[]; failed: StageFailure<Post>[] } {
  const analyzedAt = now.toISOString();
  const analyzed: AnalyzedPost[] = [];
  const failed: StageFailure<Post>[] = [];
  for (const post of posts) {
    try {
      analyzed.push({ post, classification: classifier.classify(post.text, post.territory === undefined ? {} : { territory: post.territory }), analyzedAt });
    } catch (e) {
      failed.push({ item: post, error: toOtklikError(e, 'STAGE_FAILED') });
    }
  }
  return { analyzed, failed };
}
