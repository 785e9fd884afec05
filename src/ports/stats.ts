import type { CounterSample } from '../core/metrics.js';
import type { Counters } from './counters.js';

/** Engine-wide counts, labelled counters and latency samples (every process adds, the API renders). */
export interface Stats extends Counters {
  increment(field: string, by: number): Promise<void>;
  all(): Promise<Record<string, number>>;
  counters(): Promise<CounterSample[]>;
  recordLatencies(name: string, ms: readonly number[]): Promise<void>;
  latencies(name: string, limit?: number): Promise<number[]>;
}
