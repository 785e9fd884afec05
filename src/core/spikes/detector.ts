/**
 * Spike alerts: a surge of posts about one topic in one territory beyond what is normal for that
 * hour. The method, chosen for series of small counts with a daily rhythm:
 *
 * - the **expected** count for an hour is a seasonal baseline — the mean of the same hour of day over
 *   the previous `baselineDays` days (robust to the night lull and the morning peak), never below
 *   `floor` (a quiet series still has some chance of a post);
 * - the hour is a **spike** when its count is improbable under Poisson(expected): P(X ≥ count) below
 *   `alpha`, and at least `minCount` posts (three posts in a village is not a surge however quiet it was).
 *
 * The false-alarm rate follows from `alpha` per series and hour: with α = 0.001, one alarm in about 1,000
 * ordinary hours of a series (≈ one a series every six weeks) before the `minCount` filter removes most.
 * Measured on synthetic series in test/unit/core/spikes/detector.test.ts (README). Pure.
 */
export interface SpikeOptions {
  baselineDays: number;
  alpha: number;
  minCount: number;
  floor: number;
  /**
   * Days of history an hour needs before it is judged: the series passed in starts where the data
   * does, and a baseline of one or two days (a new install, the first days of an archive) is too
   * noisy to call anything a surge.
   */
  minHistoryDays: number;
}

export const DEFAULT_SPIKE_OPTIONS: SpikeOptions = { baselineDays: 14, alpha: 0.001, minCount: 5, floor: 0.2, minHistoryDays: 3 };

export interface SpikeVerdict {
  spike: boolean;
  count: number;
  expected: number;
  /** The range a normal hour falls in (Poisson 2.5 %–97.5 %). */
  range: [number, number];
  /** P(X ≥ count) under the baseline. */
  pValue: number;
}

/** P(X ≥ k) for X ~ Poisson(λ), summed in log space so large counts do not underflow. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  // P(X ≥ k) = 1 − Σ_{i<k} e^{−λ} λ^i / i!
  let term = Math.exp(-lambda);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

function poissonQuantile(p: number, lambda: number): number {
  let k = 0;
  let term = Math.exp(-lambda);
  let sum = term;
  while (sum < p && k < 10_000) {
    k++;
    term *= lambda / k;
    sum += term;
  }
  return k;
}

/**
 * Judges the last hour of an hourly series (oldest first; the last element is the hour judged).
 * Hours before it are the history, which starts where the data starts; the baseline is the same
 * hour of day on the previous days. With fewer than `minHistoryDays` of them, nothing is a spike.
 */
export function judgeHour(series: readonly number[], o: SpikeOptions = DEFAULT_SPIKE_OPTIONS): SpikeVerdict {
  const n = series.length;
  const count = series[n - 1] ?? 0;
  const same: number[] = [];
  for (let d = 1; d <= o.baselineDays; d++) {
    const v = series[n - 1 - d * 24];
    if (v !== undefined) same.push(v);
  }
  const expected = Math.max(o.floor, same.length > 0 ? same.reduce((a, b) => a + b, 0) / same.length : o.floor);
  const pValue = poissonTail(count, expected);
  return { spike: count >= o.minCount && pValue < o.alpha && same.length >= o.minHistoryDays, count, expected: Math.round(expected * 100) / 100, range: [poissonQuantile(0.025, expected), poissonQuantile(0.975, expected)], pValue };
}

/** Words that rose: more frequent in the spike's posts than in the baseline's, by smoothed ratio. */
export function risingWords(now: readonly string[][], before: readonly string[][], limit = 8): { word: string; now: number; before: number }[] {
  const count = (docs: readonly string[][]) => {
    const m = new Map<string, number>();
    for (const d of docs) for (const w of new Set(d)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  };
  const a = count(now);
  const b = count(before);
  const na = Math.max(1, now.length);
  const nb = Math.max(1, before.length);
  return [...a]
    .filter(([, c]) => c >= 2)
    .map(([word, c]) => ({ word, now: c, before: b.get(word) ?? 0, ratio: (c / na + 0.01) / ((b.get(word) ?? 0) / nb + 0.01) }))
    .filter((x) => x.ratio > 2)
    .sort((x, y) => y.ratio - x.ratio || y.now - x.now)
    .slice(0, limit)
    .map(({ word, now: c, before: p }) => ({ word, now: c, before: p }));
}
