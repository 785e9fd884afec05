/**
 * The platform reference's rule for deletions: never on a single missing read (it may be a
 * transient access problem); an item missing from this many reads in a row is gone.
 */
export const MISSES_BEFORE_TOMBSTONE = 2;

export interface Watched {
  /** Consecutive reads in which the item was missing. */
  misses: number;
}

/**
 * One re-read of the items a connector watches for edits and deletions. An item found again is
 * passed to `seen` (its miss count reset); a missing one is kept with one more miss, and handed to
 * `gone` and dropped once it reaches MISSES_BEFORE_TOMBSTONE. Items this read could not check
 * (`checked` false, e.g. outside the pages read) are kept as they are.
 */
export function reconcileWatched<W extends Watched, I>(
  watched: readonly W[],
  find: (w: W) => I | undefined,
  seen: (w: W, item: I) => W,
  gone: (w: W) => void,
  checked: (w: W) => boolean = () => true,
): W[] {
  const next: W[] = [];
  for (const w of watched) {
    const item = find(w);
    if (item !== undefined) next.push(seen({ ...w, misses: 0 }, item));
    else if (!checked(w)) next.push(w);
    else if (w.misses + 1 < MISSES_BEFORE_TOMBSTONE) next.push({ ...w, misses: w.misses + 1 });
    else gone(w);
  }
  return next;
}
