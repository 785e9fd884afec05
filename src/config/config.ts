import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/**
 * The single schema over the environment. Every variable is documented in `.env.example`;
 * nothing else in the engine reads `process.env`.
 */
export const configSchema = z.object({
  ENGINE_ROLE: z.enum(['all', 'api', 'worker', 'scheduler']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** json: one JSON object a line; pretty: coloured lines for people; auto: pretty on a terminal. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),

  REDIS_URL: optionalString.pipe(z.string().url().optional()),
  REDIS_DATA_DIR: z.string().default('./data/redis'),
  REDIS_SERVER_BIN: z.string().default('redis-server'),
  REDIS_APPENDFSYNC: z.enum(['always', 'everysec', 'no']).default('everysec'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[{}A-Za-z0-9_-]+$/, 'letters, digits, _ - { } only (no ":")')
    .default('{otklik}'),

  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: int(8080, 0, 65535),

  SOURCES_FILE: optionalString,
  DEMO_CORPUS: z.string().default('connectors/replay/demo/corpus.jsonl'),
  DEMO_RATE_PER_S: int(50, 0, 1_000_000),
  /** The topic taxonomy: groups → topics with their terms. */
  TOPICS_FILE: z.string().default('rules/topics.json'),
  /** Sentiment lexicon, thanks/question/review/urgent/sarcasm cues. */
  CUES_FILE: z.string().default('rules/cues.json'),
  /** When a post becomes an alert, what is noise, what is high priority. */
  ALERTS_FILE: z.string().default('rules/alerts.json'),
  /** Place and street names → territories; empty = the sources' territories only. */
  GAZETTEER_FILE: z.string().default('rules/gazetteer.json'),
  /** Stems of correctly spelt Russian words (npm run lexicon), which the typo mender leaves alone; empty = none. */
  KNOWN_STEMS_FILE: z.string().default('rules/lexicon/ru-stems.txt.gz'),
  /** The trained sentiment model (npm run train); empty = the lexicon alone. */
  SENTIMENT_MODEL_FILE: z.string().default('rules/models/sentiment.json'),
  /** The trained topic model (npm run train); empty = the topic rules alone. */
  TOPIC_MODEL_FILE: z.string().default('rules/models/topics.json'),
  /** The problem detector's model (npm run train); empty = a rule (a topic term plus a fault, request or question). */
  PROBLEM_MODEL_FILE: z.string().default('rules/models/problem.json'),
  /**
   * The learned router shipped with a region's set-up (npm run train -- --labels FILE with bodies);
   * used when the file exists. The engine also learns one from moderators' accepts and reroutes.
   */
  ROUTER_MODEL_FILE: z.string().default('rules/models/router.json'),
  /** How often the leading scheduler checks whether to retrain from moderators' decisions. */
  MODEL_RETRAIN_MINUTES: z.coerce.number().min(0.01).max(10_080).default(60),
  /** New decisions needed since the last retraining before another runs. */
  MODEL_RETRAIN_MIN_DECISIONS: int(50, 1, 1_000_000),
  /** Held-out decisions needed to judge a candidate model; with fewer, none is promoted. */
  MODEL_MIN_HELD_OUT: int(20, 1, 100_000),
  /** Another rules folder laid out as `rules/` (a region's set-up): every rule file not named on its own is read from it. */
  RULES_DIR: optionalString,
  ROUTING_FILE: z.string().default('rules/routing.json'),
  /** Preset reject reasons and answer templates the console offers (admins may replace them through the API). */
  PRESETS_FILE: z.string().default('rules/presets.json'),
  CALENDARS_DIR: z.string().default('rules/calendars'),

  VK_TOKEN: optionalString,
  OK_ACCESS_TOKEN: optionalString,
  OK_APPLICATION_KEY: optionalString,
  OK_APPLICATION_SECRET_KEY: optionalString,
  TELEGRAM_BOT_TOKEN: optionalString,
  /** A Telegram user account over MTProto (telegram-mtproto sources): the app's api_id and api_hash (my.telegram.org). */
  TELEGRAM_API_ID: optionalString,
  TELEGRAM_API_HASH: optionalString,
  /** The account's session string (npm run telegram:login prints it): whoever holds it is that account. */
  TELEGRAM_SESSION: optionalString,
  /** Answer credentials named by bodies' replyCredentials: `NAME=token,NAME2=token` (e.g. VK community tokens). */
  REPLY_CREDENTIALS: optionalString.transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const pair of (v ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (eq < 1 || !/^[A-Z0-9_]+$/.test(name) || eq === pair.length - 1) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected NAME=token pairs separated by commas (NAME in capitals, digits, _)' });
        return out;
      }
      out[name] = pair.slice(eq + 1);
    }
    return out;
  }),

  /** Key for the HMAC-SHA256 signature of webhook notifications (X-Otklik-Signature). */
  WEBHOOK_SECRET: optionalString,
  /** Where moderators hear about breaches, reroutes and reopenings. */
  MODERATORS_TELEGRAM_CHAT_ID: optionalString.pipe(z.string().regex(/^-?\d+$/, 'a Telegram chat id').optional()),
  MODERATORS_WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),
  TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
  NOTIFY_TIMEOUT_MS: int(10_000, 100, 120_000),
  /**
   * Webhooks to this machine or its network (loopback, private, link-local addresses, or names that
   * resolve there) are refused unless this is true (a receiver on the same host or LAN, on purpose).
   */
  NOTIFY_ALLOW_INTERNAL_TARGETS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Attempts per delivery before it goes to the dead letters, and the first backoff (doubles each time). */
  NOTIFY_ATTEMPTS: int(8, 1, 100),
  NOTIFY_BACKOFF_MS: int(2000, 10, 3_600_000),

  /** One node URL, or several separated by commas (a cluster addressed by a node list). */
  ELASTICSEARCH_URL: optionalString.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((u) => u.trim()).filter((u) => u !== '').join(','))
      .refine((v) => v.split(',').every((u) => /^https?:\/\/[^\s/]+/.test(u)), 'expected http(s) URLs separated by commas')
      .optional(),
  ),
  ES_API_KEY: optionalString,
  ES_INDEX_PREFIX: z.string().regex(/^[a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"').default(''),
  ES_REPLICAS: int(0, 0, 10),
  ES_REQUEST_TIMEOUT_MS: int(30_000, 100, 600_000),
  POSTS_RETENTION_DAYS: int(365, 1, 36_500),
  /** Days after capture a post keeps its raw platform payload and its author (search index, dead letters). */
  PERSONAL_DATA_RETENTION_DAYS: int(30, 1, 36_500),
  /** How often the leading scheduler sweeps for personal data past its retention. */
  RETENTION_SWEEP_MINUTES: int(60, 1, 10_080),
  /** Kibana, for importing the dashboards (npm run search:setup). */
  KIBANA_URL: optionalString.pipe(z.string().url().optional()),
  KIBANA_API_KEY: optionalString,
  /** auto: Elasticsearch when ELASTICSEARCH_URL is set, else the embedded index; none: no search. */
  SEARCH_BACKEND: z.enum(['auto', 'embedded', 'elasticsearch', 'none']).default('auto'),
  EMBEDDED_INDEX_PATH: z.string().default('./data/search/otklik.sqlite'),
  /**
   * Reader threads of the embedded index: searches that run at once, off the event loop. Default:
   * one core fewer than the machine has (at least one), so the event loop keeps a core.
   */
  EMBEDDED_READERS: int(Math.max(1, Math.min(4, availableParallelism() - 1)), 1, 16),
  /** A search, trend or aggregation that takes longer is stopped and answered 503 SEARCH_QUERY_TIMEOUT. */
  SEARCH_QUERY_TIMEOUT_MS: int(15_000, 100, 600_000),
  /** Bearer keys for the API (comma-separated). Without any, the API answers on loopback only. */
  API_KEYS: optionalString.transform((v) => (v ? v.split(',').map((k) => k.trim()).filter((k) => k.length > 0) : [])).pipe(z.array(z.string().min(16, 'API keys are at least 16 characters'))),

  /** The first admin, created at start-up when no user has this login yet. */
  ADMIN_LOGIN: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,64}$/, 'a login is 3–64 latin letters, digits, ".", "_" or "-"').default('admin'),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, 'at least 10 characters').optional()),
  /**
   * Demo accounts (admin, moderator, analyst, one responder per body, all with DEMO_PASSWORD).
   * auto: when the engine plays the demo corpus and the API listens on loopback only.
   */
  DEMO_USERS: z.enum(['auto', 'on', 'off']).default('auto'),
  DEMO_PASSWORD: z.string().min(10, 'at least 10 characters').default('otklik-demo'),
  SESSION_TTL_HOURS: int(12, 1, 720),
  /** Session cookies only over HTTPS. auto: yes unless the API listens on loopback. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Requests per minute per user or API key (and per address before signing in). */
  API_RATE_LIMIT_PER_MIN: int(600, 1, 1_000_000),
  /**
   * Failed sign-ins per 15 minutes of one account from one address; an account from any address
   * may fail five times as often, an address (an office, a proxy) ten times. Successes do not count.
   */
  LOGIN_RATE_LIMIT: int(10, 1, 100_000),
  /**
   * The reverse proxy in front of the API, whose X-Forwarded-For gives the client's address (for
   * sign-in limits and logs): "true" (any: only when nothing reaches the API but through the proxy),
   * or the proxy's addresses and CIDRs, comma-separated.
   * Unset: the connection's address counts.
   */
  TRUST_PROXY: optionalString.transform((v, ctx): boolean | string[] | undefined => {
    if (v === undefined) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    const list = v.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
    if (list.every((x) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(x))) return list;
    ctx.addIssue({ code: 'custom', message: 'true, false, or addresses and CIDRs, comma-separated' });
    return z.NEVER;
  }),

  /** The zone report months and quarters are cut in (the region's). */
  REPORT_TIME_ZONE: z.string().default('Europe/Moscow').refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone) || zone === 'UTC', 'an IANA time zone, e.g. Europe/Moscow'),

  PIPELINE_BATCH_SIZE: int(500, 1, 5000),
  PIPELINE_CONCURRENCY: int(8, 1, 256),
  PIPELINE_ATTEMPTS: int(5, 1, 100),
  PIPELINE_BACKOFF_MS: int(1000, 1, 3_600_000),
  PIPELINE_MAX_BACKLOG: int(40, 1, 1_000_000),
  /**
   * How far the heap may grow past what the last full garbage collection kept, in percent (0: V8's own
   * heuristics, which let it reach four times). 100 kept the pipeline bench's peak RSS at 450–470 MB
   * instead of 690–730 (platform/heap.ts).
   */
  HEAP_GROWTH_PERCENT: int(100, 0, 1000),
  /** While the search backend is unreachable the index stage pauses this long between probes (no attempt is spent). */
  SEARCH_OUTAGE_HOLD_MS: int(5000, 50, 600_000),
  POLL_INTERVAL_MS: int(1000, 10, 86_400_000),
  PIPELINE_LOCK_MS: int(30_000, 500, 600_000),
  LEDGER_TTL_DAYS: int(7, 1, 3650),
  /** Days a new alert is compared with earlier ones for near-copies (0 = no duplicate detection). */
  DUPLICATE_WINDOW_DAYS: int(14, 0, 365),
  /** Estimated word-bigram overlap (Jaccard, 0–1) from which a post is a copy of an earlier alert. */
  DUPLICATE_MIN_SIMILARITY: z.coerce.number().gt(0).max(1).default(0.6),
  /** How often the leading scheduler looks for surges of posts (topic × territory, last complete hour); 0 = never. */
  SPIKE_CHECK_MINUTES: z.coerce.number().min(0).max(1440).default(10),
  /** Days after a body's first answer during which replies in the post's thread are read as the residents' reaction (0 = off). */
  REACTION_WINDOW_DAYS: int(14, 0, 365),
  /** Days after an incident is closed during which the same problem at the same place is a repeat of it (0 = off). */
  REPEAT_WINDOW_DAYS: int(30, 0, 365),
  /**
   * What a repeat does: `link` marks the new alert as a repeat of the closed incident for the moderator
   * to decide; `reopen` reopens that incident (back to its body, clocks restarted) and merges the alert into it.
   */
  REPEAT_POLICY: z.enum(['link', 'reopen']).default('link'),
  /** Days the engine remembers what a post was about, for the comments that answer it later. */
  COMMENT_CONTEXT_DAYS: int(7, 1, 90),
  /** How long the scheduler's lead lasts without renewal: a standby takes over within this after a leader dies. */
  LEADER_LOCK_TTL_MS: int(15_000, 300, 600_000),
  SHUTDOWN_TIMEOUT_MS: int(30_000, 100, 600_000),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** Names of config keys that hold secrets: used for log redaction and safe dumps. */
export const SECRET_KEYS = [
  'VK_TOKEN',
  'OK_ACCESS_TOKEN',
  'OK_APPLICATION_KEY',
  'OK_APPLICATION_SECRET_KEY',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_API_HASH',
  'TELEGRAM_SESSION',
  'REPLY_CREDENTIALS',
  'WEBHOOK_SECRET',
  'API_KEYS',
  'ADMIN_PASSWORD',
  'DEMO_PASSWORD',
  'ES_API_KEY',
  'KIBANA_API_KEY',
] as const satisfies readonly (keyof Config)[];

/**
 * Parses the environment once. On failure, one error lists every problem, so an operator fixes
 * them all in one go instead of one per restart.
 */
/** The rule files and folders `RULES_DIR` moves, with their places inside `rules/`. */
const RULES_FILES: Record<string, string> = {
  TOPICS_FILE: 'topics.json',
  CUES_FILE: 'cues.json',
  ALERTS_FILE: 'alerts.json',
  GAZETTEER_FILE: 'gazetteer.json',
  SENTIMENT_MODEL_FILE: 'models/sentiment.json',
  TOPIC_MODEL_FILE: 'models/topics.json',
  PROBLEM_MODEL_FILE: 'models/problem.json',
  ROUTER_MODEL_FILE: 'models/router.json',
  ROUTING_FILE: 'routing.json',
  PRESETS_FILE: 'presets.json',
  CALENDARS_DIR: 'calendars',
};

/**
 * `RULES_DIR` points every rule file not named on its own at another rules folder (a region's set-up,
 * laid out as `rules/`); a file named on its own wins.
 */
function withRulesDir(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const dir = env.RULES_DIR?.trim();
  if (!dir) return env;
  const out = { ...env };
  for (const [key, file] of Object.entries(RULES_FILES)) if (!out[key]) out[key] = `${dir.replace(/\/$/, '')}/${file}`;
  return out;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(withRulesDir(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new OtklikError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return Object.freeze(parsed.data);
}

/** True when at least one platform has credentials; otherwise the engine plays the demo corpus. */
export function hasPlatformTokens(config: Config): boolean {
  return Boolean(config.VK_TOKEN ?? config.OK_ACCESS_TOKEN ?? config.TELEGRAM_BOT_TOKEN ?? config.TELEGRAM_SESSION);
}

/** Redis URL with any password masked, for logs and /health. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}
