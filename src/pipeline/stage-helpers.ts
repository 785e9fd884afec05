import type { Job } from 'bullmq';
import { revisionKey, toJobIdPart, type Post } from '../core/post.js';
import type { ClaimItem } from '../ports/claim-ledger.js';
import type { StageFailure } from './analyze.stage.js';
import type { DeadLetter } from './dead-letter.js';

/** One ledger claim per (post, revision), in the post's day so the ledger forgets old days. */
export function claimItems(posts: readonly Pick<Post, 'id' | 'revision' | 'createdAt'>[]): ClaimItem[] {
  return posts.map((p) => ({ key: revisionKey(p), day: p.createdAt.slice(0, 10) }));
}

/** Items a stage could not process, as dead letters that keep the item and the reason. */
export function failuresToDeadLetters<T>(stage: string, failures: StageFailure<T>[], post: (t: T) => Post, job: Job): DeadLetter[] {
  return failures.map((f) => ({
    stage,
    sourceId: post(f.item).sourceId,
    ref: toJobIdPart(revisionKey(post(f.item))),
    error: f.error.toJSON(),
    payload: f.item,
    attempts: job.attemptsMade + 1,
    at: new Date().toISOString(),
  }));
}

/** Post text is hostile input: no control characters or line breaks into a terminal, and short. */
export function logExcerpt(text: string, max = 90): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
