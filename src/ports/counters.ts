import type { CounterSample } from '../core/metrics.js';

export type { CounterSample } from '../core/metrics.js';

/**
 * Where counters go. They live in Redis (every worker adds, every API process renders the same
 * totals), so an increment is a batch call, not an in-process counter.
 */
export interface Counters {
  count(samples: readonly CounterSample[]): Promise<void>;
}

/** Counters that go nowhere (tools and tests that do not look at them). */
export const noCounters: Counters = { count: async () => {} };
