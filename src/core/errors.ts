/**
 * One error catalogue for the whole engine. Every failure the engine can name has a stable code;
 * callers branch on `code`, never on message text. `retryable` tells the pipeline whether another
 * attempt can help (BullMQ retries) or the item must go to the dead-letter queue at once.
 */
export const ErrorCodes = {
  CONFIG_INVALID: { retryable: false, httpStatus: 500 },
  SOURCE_UNKNOWN_TYPE: { retryable: false, httpStatus: 500 },
  SOURCE_CONFIG_INVALID: { retryable: false, httpStatus: 500 },
  RULES_INVALID: { retryable: false, httpStatus: 500 },
  REPLAY_FILE_UNREADABLE: { retryable: true, httpStatus: 500 },
  REPLAY_LINE_MALFORMED: { retryable: false, httpStatus: 422 },
  POST_INVALID: { retryable: false, httpStatus: 422 },
  PLATFORM_UNSUPPORTED: { retryable: false, httpStatus: 422 },
  JOB_PAYLOAD_INVALID: { retryable: false, httpStatus: 422 },
  STAGE_FAILED: { retryable: true, httpStatus: 500 },
  REDIS_UNAVAILABLE: { retryable: true, httpStatus: 503 },
  REDIS_BINARY_MISSING: { retryable: false, httpStatus: 500 },
  REDIS_START_FAILED: { retryable: false, httpStatus: 500 },
  SEARCH_NOT_CONFIGURED: { retryable: false, httpStatus: 503 },
  CALENDAR_INVALID: { retryable: false, httpStatus: 500 },
  SCHEDULE_INVALID: { retryable: false, httpStatus: 400 },
  PAUSE_INVALID: { retryable: false, httpStatus: 400 },
  TIMEZONE_INVALID: { retryable: false, httpStatus: 400 },
  POLICY_INVALID: { retryable: false, httpStatus: 400 },
  BODY_UNKNOWN: { retryable: false, httpStatus: 400 },
  TOPIC_UNKNOWN: { retryable: false, httpStatus: 400 },
  INCIDENT_NOT_FOUND: { retryable: false, httpStatus: 404 },
  INCIDENT_TRANSITION_INVALID: { retryable: false, httpStatus: 409 },
  INCIDENT_VERSION_CONFLICT: { retryable: false, httpStatus: 409 },
  INCIDENT_ACTION_INVALID: { retryable: false, httpStatus: 400 },
  REPLY_FAILED: { retryable: true, httpStatus: 502 },
  /** The platform cannot take this answer with these credentials (another community's wall, a channel without comments). */
  REPLY_NOT_POSSIBLE: { retryable: false, httpStatus: 422 },
  NOTIFY_FAILED: { retryable: true, httpStatus: 502 },
  NOTIFY_REJECTED: { retryable: false, httpStatus: 502 },
  SEARCH_QUERY_INVALID: { retryable: false, httpStatus: 400 },
  CLASSIFY_INPUT_INVALID: { retryable: false, httpStatus: 400 },
  SEARCH_UNAVAILABLE: { retryable: true, httpStatus: 503 },
  /** A search over its time budget, stopped: the caller should narrow it. */
  SEARCH_QUERY_TIMEOUT: { retryable: false, httpStatus: 503 },
  /** The caller went away and the search was stopped (nobody reads the answer; 499 as proxies log it). */
  SEARCH_QUERY_CANCELLED: { retryable: false, httpStatus: 499 },
  SEARCH_INDEX_FAILED: { retryable: true, httpStatus: 500 },
  SEARCH_DOCUMENT_REJECTED: { retryable: false, httpStatus: 422 },
  KIBANA_IMPORT_FAILED: { retryable: false, httpStatus: 502 },
  PLATFORM_RATE_LIMITED: { retryable: true, httpStatus: 503 },
  PLATFORM_AUTH_FAILED: { retryable: false, httpStatus: 502 },
  PLATFORM_CONFLICT: { retryable: true, httpStatus: 502 },
  PLATFORM_UNAVAILABLE: { retryable: true, httpStatus: 502 },
  PLATFORM_RESPONSE_INVALID: { retryable: true, httpStatus: 502 },
  PLATFORM_ERROR: { retryable: false, httpStatus: 502 },
  UNAUTHENTICATED: { retryable: false, httpStatus: 401 },
  FORBIDDEN: { retryable: false, httpStatus: 403 },
  RATE_LIMITED: { retryable: true, httpStatus: 429 },
  VALIDATION_FAILED: { retryable: false, httpStatus: 400 },
  NOT_FOUND: { retryable: false, httpStatus: 404 },
  USER_EXISTS: { retryable: false, httpStatus: 409 },
  INTERNAL: { retryable: true, httpStatus: 500 },
} as const satisfies Record<string, { retryable: boolean; httpStatus: number }>;

export type ErrorCode = keyof typeof ErrorCodes;

export interface OtklikErrorOptions {
  cause?: unknown;
  /** Structured facts about the failure (file, line, field...). Never secrets. */
  details?: Record<string, unknown>;
  /** Overrides the catalogue default, e.g. a file that may appear later. */
  retryable?: boolean;
  /** How long the other side asked us to wait before trying again (a platform's rate limit). */
  retryAfterS?: number;
}

export class OtklikError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly httpStatus: number;
  readonly details: Record<string, unknown>;
  /** Seconds to wait before another attempt, when the other side said (typed: code reads it). */
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, message: string, options: OtklikErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OtklikError';
    this.code = code;
    this.retryable = options.retryable ?? ErrorCodes[code].retryable;
    this.httpStatus = ErrorCodes[code].httpStatus;
    this.retryAfterS = options.retryAfterS;
    // Kept in the details too, so logs and dead letters show the wait.
    this.details = options.retryAfterS === undefined ? (options.details ?? {}) : { ...options.details, retryAfterS: options.retryAfterS };
  }

  /** A plain, serialisable view for dead letters, logs and API bodies. */
  toJSON(): { code: ErrorCode; message: string; retryable: boolean; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }
}

export function isOtklikError(e: unknown): e is OtklikError {
  return e instanceof OtklikError;
}

/** Wraps anything thrown into an OtklikError so every failure carries a code. */
export function toOtklikError(e: unknown, fallback: ErrorCode = 'INTERNAL'): OtklikError {
  if (e instanceof OtklikError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new OtklikError(fallback, message, { cause: e });
}
