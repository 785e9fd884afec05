import { createHash } from 'node:crypto';

/** A short content hash: the same text (and edit time) always gives the same revision. */
export function contentRevision(text: string, editedAt?: string): string {
  return createHash('sha1')
    .update(text)
    .update('\u0000')
    .update(editedAt ?? '')
    .digest('base64url')
    .slice(0, 16);
}

/** A short stable hash for composing deterministic job ids from several keys. */
export function shortHash(parts: readonly string[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url').slice(0, 22).replaceAll('-', '+');
}
