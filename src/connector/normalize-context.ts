import { z, type ZodError } from 'zod';
import { OtklikError, isOtklikError } from '../core/errors.js';
import type { Post } from '../core/post.js';
import type { PollItem } from './connector.js';

/** What a connector knows about where an item came from, beyond the item itself. */
export interface NormalizeContext {
  sourceId: string;
  territory?: string;
  /** ISO instant of capture. */
  capturedAt: string;
}

/** A platform payload that does not match the documented shape: names the first bad field. */
export function invalidPayload(platform: string, error: ZodError, details: Record<string, unknown> = {}): OtklikError {
  const issue = error.issues[0];
  const field = issue ? issue.path.join('.') || '(root)' : '(root)';
  return new OtklikError('POST_INVALID', `${platform} payload invalid at ${field}: ${issue?.message ?? 'unknown problem'}`, {
    details: { ...details, platform, field, problems: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
  });
}

/** Seconds since the epoch, within what a Date can hold (a larger one would throw on conversion). */
export const unixSeconds = z.number().int().positive().max(8.64e12);

export function unixToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * Normalises one platform item into `items`: the post (when `keep` says it is news), or a dead
 * letter naming `ref` with the raw payload when the payload does not match the platform's shape.
 * Returns the post, so a caller can remember its revision even when it was not news.
 */
export function collect(items: PollItem[], ref: string, raw: unknown, normalize: () => Post, keep: (p: Post) => boolean = () => true): Post | undefined {
  try {
    const post = normalize();
    if (keep(post)) items.push({ ok: true, post });
    return post;
  } catch (e) {
    if (!isOtklikError(e)) throw e;
    items.push({ ok: false, ref, error: e, raw });
    return undefined;
  }
}
