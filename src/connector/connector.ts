import type { z } from 'zod';
import type { Dispatcher } from 'undici';
import type { Post } from '../core/post.js';
import type { OtklikError } from '../core/errors.js';
import type { TokenRateLimiters } from './rate-limiter.js';
import type { BotUpdateHub } from './bot-update-hub.js';

/** What part of a platform a connector can see; shown to moderators so blind spots are explicit. */
export type Coverage = 'replay-file' | 'walls' | 'comments' | 'keyword-search' | 'channels' | 'groups';

/** One item from a poll: a normalised post, or a payload that could not be understood. */
export type PollItem =
  | { ok: true; post: Post }
  | {
      ok: false;
      /** A stable reference to the bad item within the source (e.g. `line-17`), for dedup and humans. */
      ref: string;
      error: OtklikError;
      raw: unknown;
    };

export interface PollResult<C> {
  items: PollItem[];
  /** Where the next poll starts. Saved only after `items` are safely enqueued. */
  nextCursor: C;
  /** True when the source has more items ready right now (the poller may ask again at once). */
  more: boolean;
  /** What the connector knows it could not see this time (a capped search window...), for moderators. */
  notices?: string[];
}

export interface PollOptions {
  /** Upper bound on items returned. */
  limit: number;
  signal?: AbortSignal;
}

/** A source of posts: one configured community, channel, query set or replay file. */
export interface Connector<C = unknown> {
  /** The configured source id (unique across the deployment). */
  readonly sourceId: string;
  /** The connector type, i.e. its folder under `connectors/`. */
  readonly type: string;
  /** The platform whose posts it captures (and can answer, with `reply`); none for replay files. */
  readonly platform?: 'vk' | 'ok' | 'tg';
  readonly coverage: readonly Coverage[];
  /** Items per second this source may deliver; undefined = as fast as the platform answers. */
  readonly itemsPerSecond?: number;
  readonly cursorSchema: z.ZodType<C, z.ZodTypeDef, unknown>;
  initialCursor(): C;
  poll(cursor: C, options: PollOptions): Promise<PollResult<C>>;
  /** Publishes an official answer under a post this connector captured, if the platform allows it. */
  reply?(target: ReplyTarget, text: string): Promise<ReplyReceipt>;
  close?(): Promise<void>;
}

/** The post to answer under. */
export interface ReplyTarget {
  postId: string;
  permalink?: string;
  /** The same for a retried answer: platforms with an idempotency key (VK `guid`) post once. */
  idempotencyKey: string;
  /** Name of the credential to answer with (the body's replyCredentials); the connector's default when absent. */
  credentialsRef?: string;
}

/** What the platform says about a published answer. */
export interface ReplyReceipt {
  /** The platform's own timestamp of the answer. */
  publishedAt: string;
  url?: string;
  /** The platform's id of the answer, for the record. */
  platformId: string;
}

/** A configured source, as listed in the sources file. */
export interface SourceDefinition {
  id: string;
  type: string;
  territory?: string;
  /** This source's alert policy over rules/alerts.json: `everyPost` — every post of it is an appeal. */
  alerts?: { everyPost: boolean };
  pollIntervalMs?: number;
  options: unknown;
}

/** What the core hands a connector factory: paths are resolved by the composition root. */
export interface ConnectorEnvironment {
  resolvePath(path: string): string;
  now(): Date;
  /** A credential from the engine's config (e.g. TELEGRAM_BOT_TOKEN); never logged. */
  secret(name: string): string | undefined;
  /** The HTTP dispatcher connectors use (undici); tests inject a MockAgent. */
  http?: Dispatcher;
  /** Request budgets per token, shared by every source of the engine; none = unthrottled (tests). */
  limiter?: TokenRateLimiters;
  /** One reader per Telegram bot, fanning its updates out to the bot's sources (Redis in the engine). */
  botUpdates?: BotUpdateHub;
}

/** Runs a platform call within the token's budget when the engine gave connectors a limiter. */
export function withinBudget<T>(env: ConnectorEnvironment, token: string, perSecond: number, call: () => Promise<T>): Promise<T> {
  return env.limiter ? env.limiter.schedule(token, perSecond, call) : call();
}

/** Every folder under `connectors/` exports one of these. */
export interface ConnectorFactory<O = unknown> {
  readonly type: string;
  readonly optionsSchema: z.ZodType<O, z.ZodTypeDef, unknown>;
  create(source: SourceDefinition & { options: O }, env: ConnectorEnvironment): Connector;
}
