/** What one source did and did not see: moderators see the engine's blind spots. */
export interface SourceHealth {
  sourceId: string;
  lastPollAt?: string;
  lastSuccessAt?: string;
  /** Seconds since the last successful poll: how stale the engine's view of this source is. */
  lagSeconds?: number;
  itemsSeen: number;
  itemsRejected: number;
  errors: Record<string, number>;
  lastError?: string;
  cursor?: unknown;
  /** The last thing the connector said it could not see (a capped search window...). */
  lastNotice?: { at: string; text: string };
  notices: number;
  /** Set while the engine holds off polling: a platform rate limit, or credentials that failed. */
  paused?: { until: string; reason: string };
}

export interface SourceHealthStore {
  pause(sourceId: string, until: Date, reason: string): Promise<void>;
  pausedUntil(sourceId: string): Promise<Date | undefined>;
  recordSuccess(sourceId: string, at: Date, seen: number, rejected: number): Promise<void>;
  recordError(sourceId: string, at: Date, code: string, message: string): Promise<void>;
  recordNotice(sourceId: string, at: Date, text: string): Promise<void>;
  get(sourceId: string): Promise<SourceHealth>;
}
