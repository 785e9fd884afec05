/** The value below which a fraction q of samples fall (nearest rank). */
export function percentile(samples: readonly number[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx] ?? null;
}

/** Three decimals: how scores, shares and compliance are reported (0.827, not 0.8271604938). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The share `part` is of `whole` to three decimals, or null when there is nothing to share. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round3(part / whole);
}
