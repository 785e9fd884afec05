import { describe, expect, it } from 'vitest';
import { reconcileWatched } from '../../../src/connector/watchlist.js';

type W = { id: number; misses: number; text: string };

describe('reconcileWatched', () => {
  it('found: updated with misses reset; missing once: kept with a miss; missing twice: gone; unchecked: kept as is', () => {
    const gone: number[] = [];
    const watched: W[] = [
      { id: 1, misses: 1, text: 'a' },
      { id: 2, misses: 0, text: 'b' },
      { id: 3, misses: 1, text: 'c' },
      { id: 4, misses: 1, text: 'd' },
    ];
    const platform = new Map([[1, 'a2']]);
    const next = reconcileWatched(
      watched,
      (w) => platform.get(w.id),
      (w, text) => ({ ...w, text }),
      (w) => void gone.push(w.id),
      (w) => w.id !== 4,
    );
    expect(next).toEqual([
      { id: 1, misses: 0, text: 'a2' },
      { id: 2, misses: 1, text: 'b' },
      { id: 4, misses: 1, text: 'd' },
    ]);
    expect(gone).toEqual([3]);
  });
});
