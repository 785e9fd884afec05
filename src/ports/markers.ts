/**
 * Small named values the engine keeps between runs and shares between processes: a watermark, a
 * request flag, a receipt. Names are short paths (`retention:personal-data`, `reply:<key>`).
 */
export interface Markers {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Reads and removes it in one step: a request taken by exactly one process. */
  take(name: string): Promise<string | undefined>;
}
