import { createHash } from 'node:crypto';
import { Api, TelegramClient, errors, sessions } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { OtklikError } from '../../src/core/errors.js';

/** What `getMessages` is asked here (a subset of GramJS's IterMessagesParams). */
export interface MessagesQuery {
  limit?: number;
  minId?: number;
  reverse?: boolean;
  /** A channel post whose discussion thread (its comments) is wanted: `messages.getReplies`. */
  replyTo?: number;
  ids?: number[];
}

/**
 * The part of GramJS's `TelegramClient` this connector uses. The real client satisfies it (checked
 * below at compile time); tests put a fake at exactly this boundary, answering with GramJS's own
 * `Api` objects and errors.
 */
export interface GramClient {
  connect(): Promise<unknown>;
  disconnect(): Promise<unknown>;
  getEntity(username: string): Promise<unknown>;
  getMessages(entity: Api.Channel, query: MessagesQuery): Promise<(Api.Message | Api.MessageService | undefined)[]>;
}

/** The real client must keep fitting the boundary the tests fake. */
type Fits<T extends GramClient> = T;
export type RealClientFits = Fits<TelegramClient>;

export interface GramCredentials {
  apiId: number;
  apiHash: string;
  session: string;
}

/**
 * A GramJS client for a user account's session string. `floodSleepThreshold: 0` makes GramJS report
 * every FLOOD_WAIT instead of sleeping through short ones, so the engine pauses the source for
 * exactly the seconds Telegram asks; its logger is off, so nothing of the session is printed.
 */
export function gramClient(c: GramCredentials): GramClient {
  return new TelegramClient(new sessions.StringSession(c.session), c.apiId, c.apiHash, {
    connectionRetries: 3,
    floodSleepThreshold: 0,
    baseLogger: new Logger(LogLevel.NONE),
    // The engine decides when to retry: one request failing is one poll failing.
    requestRetries: 1,
  });
}

/** Clients by account, shared by every source of a process on that account: one connection each. */
const clients = new Map<string, Promise<GramClient>>();

export function sharedClient(c: GramCredentials, make: (c: GramCredentials) => GramClient = gramClient): Promise<GramClient> {
  const key = createHash('sha256').update(`${c.apiId}:${c.session}`).digest('hex');
  let client = clients.get(key);
  if (!client) {
    const made = make(c);
    client = made.connect().then(
      () => made,
      (e: unknown) => {
        clients.delete(key);
        throw e;
      },
    );
    clients.set(key, client);
  }
  return client;
}

/**
 * GramJS's errors as the engine's: a flood wait (or slow mode) pauses the source for exactly its
 * seconds; a dead session or a private/unknown chat stops it; anything else (network, server) is
 * retried at the next tick. Messages never carry the session.
 */
export function gramError(e: unknown, where: string): OtklikError {
  if (e instanceof OtklikError) return e;
  const details = { platform: 'tg' };
  if (e instanceof errors.FloodError || e instanceof errors.FloodWaitError) {
    const seconds = (e as { seconds?: unknown }).seconds;
    return new OtklikError('PLATFORM_RATE_LIMITED', `${where}: ${e.message}`, { details: { ...details, platformCode: 420 }, retryAfterS: typeof seconds === 'number' && seconds > 0 ? seconds : 60 });
  }
  if (e instanceof errors.RPCError) {
    const text = `${where}: ${e.code ?? ''} ${e.errorMessage}`.trim();
    const code = { ...details, platformCode: e.code, description: e.errorMessage };
    if (e.code === 401 || e.code === 403 || /CHANNEL_PRIVATE|USERNAME_(NOT_OCCUPIED|INVALID)|CHANNEL_INVALID|AUTH_KEY/.test(e.errorMessage)) return new OtklikError('PLATFORM_AUTH_FAILED', text, { details: code });
    if (e.code !== undefined && e.code >= 500) return new OtklikError('PLATFORM_UNAVAILABLE', text, { details: code });
    return new OtklikError('PLATFORM_ERROR', text, { details: code });
  }
  return new OtklikError('PLATFORM_UNAVAILABLE', `${where}: ${(e as Error).message ?? String(e)}`, { details });
}
