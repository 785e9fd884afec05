import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Api } from 'telegram';
import { OtklikError, isOtklikError } from '../../src/core/errors.js';
import { tombstone } from '../../src/core/post.js';
import type { Connector, ConnectorEnvironment, ConnectorFactory, PollItem, PollOptions, PollResult, SourceDefinition } from '../../src/connector/connector.js';
import { withinBudget } from '../../src/connector/connector.js';
import { collect } from '../../src/connector/normalize-context.js';
import { reconcileWatched } from '../../src/connector/watchlist.js';
import { gramError, sharedClient, type GramClient, type GramCredentials, type MessagesQuery } from './gram-client.js';
import { botApiChatId, normalizeMtMessage, rawOf, type MtChat, type MtRaw } from './normalize.js';

const chatOptionSchema = z
  .object({
    /** The public @username of a channel or chat (t.me/<username>). */
    username: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'a public Telegram username (5–32 letters, digits, _)'),
    /** Territory given to what this chat says, when it is narrower than the source's. */
    territory: z.string().min(1).optional(),
    /** Read the comments under a channel's posts (its discussion group). */
    comments: z.boolean().default(true),
  })
  .strict();

export const telegramMtprotoOptionsSchema = z
  .object({
    chats: z.array(chatOptionSchema).min(1).max(200),
    /** Names of the secrets that hold the account: api_id, api_hash (my.telegram.org) and the session string. */
    apiIdSecret: z.string().regex(/^[A-Z0-9_]+$/).default('TELEGRAM_API_ID'),
    apiHashSecret: z.string().regex(/^[A-Z0-9_]+$/).default('TELEGRAM_API_HASH'),
    sessionSecret: z.string().regex(/^[A-Z0-9_]+$/).default('TELEGRAM_SESSION'),
    /**
     * Requests a second on the account. Telegram publishes no figure for user accounts and answers
     * bursts of history reads with FLOOD_WAIT; one a second keeps clear of it in practice.
     */
    requestsPerSecond: z.number().min(0.1).max(10).default(1),
    pageSize: z.number().int().min(10).max(100).default(100),
    /** On the very first poll, at most this many of each chat's newest messages are taken. */
    bootstrapBacklog: z.number().int().min(0).max(500).default(50),
    /** How many of each chat's newest posts are watched for edits, deletion and new comments. */
    trackPosts: z.number().int().min(0).max(100).default(20),
  })
  .strict();
export type TelegramMtprotoOptions = z.infer<typeof telegramMtprotoOptionsSchema>;

const rawSchema: z.ZodType<MtRaw> = z.object({
  id: z.number().int(),
  peerId: z.string(),
  date: z.number().int(),
  editDate: z.number().int().optional(),
  message: z.string(),
  fromId: z.string().optional(),
  post: z.boolean().optional(),
  replyTo: z.object({ replyToMsgId: z.number().int().optional(), replyToTopId: z.number().int().optional(), forumTopic: z.boolean().optional() }).optional(),
  replies: z.object({ replies: z.number().int(), comments: z.boolean().optional(), maxId: z.number().int().optional() }).optional(),
  views: z.number().int().optional(),
  forwards: z.number().int().optional(),
});

const trackedSchema = z.object({
  id: z.number().int(),
  /** Comments counted when they were last read in full. */
  replies: z.number().int().min(0),
  /** The highest comment id taken under this post. */
  lastReplyId: z.number().int().min(0),
  misses: z.number().int().min(0),
  last: rawSchema,
});

/** One chat's place: the highest message id taken, and the newest posts watched. */
const chatCursorSchema = z.object({ lastId: z.number().int().min(0), tracked: z.array(trackedSchema).default([]) });
type ChatCursor = z.infer<typeof chatCursorSchema>;

const cursorSchema = z.object({ chats: z.record(z.string(), chatCursorSchema).default({}) });
export type TelegramMtprotoCursor = z.infer<typeof cursorSchema>;

const MAX_REPLY_PAGES = 10;

/** Errors that concern the whole account (flood wait, a dead session, no network), not one chat. */
function accountWide(e: OtklikError): boolean {
  return e.code === 'PLATFORM_RATE_LIMITED' || e.code === 'PLATFORM_UNAVAILABLE' || (e.code === 'PLATFORM_AUTH_FAILED' && e.details.platformCode === 401);
}

/**
 * Public Telegram channels, their comments and open chats, read with a user account over MTProto
 * (GramJS): what a bot cannot see. Each chat has its own cursor (the highest message id taken); new
 * messages come oldest first (`messages.getHistory` from that id); the newest posts are re-read by id
 * for edits and deletion (two misses make a tombstone), and a channel post whose comment count moved
 * has its discussion thread read from the last comment taken (`messages.getReplies`). A FLOOD_WAIT
 * pauses the source for exactly the seconds Telegram asks; a chat that cannot be read (private,
 * renamed) is a notice while the others go on.
 */
export class TelegramMtprotoConnector implements Connector<TelegramMtprotoCursor> {
  readonly type = 'telegram-mtproto';
  readonly platform = 'tg' as const;
  readonly coverage;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly chats = new Map<string, { chat: MtChat; entity: Api.Channel }>();

  constructor(
    private readonly source: SourceDefinition & { options: TelegramMtprotoOptions },
    private readonly env: ConnectorEnvironment,
    private readonly connect: (c: GramCredentials) => Promise<GramClient> = (c) => sharedClient(c),
  ) {
    this.sourceId = source.id;
    this.coverage = source.options.chats.some((c) => c.comments) ? (['channels', 'groups', 'comments'] as const) : (['channels', 'groups'] as const);
  }

  initialCursor(): TelegramMtprotoCursor {
    return { chats: {} };
  }

  async poll(cursor: TelegramMtprotoCursor, options: PollOptions): Promise<PollResult<TelegramMtprotoCursor>> {
    const o = this.source.options;
    const { client, account } = await this.client();
    const capturedAt = this.env.now().toISOString();
    const items: PollItem[] = [];
    const notices: string[] = [];
    const next: Record<string, ChatCursor> = { ...cursor.chats };
    const perChat = Math.max(1, Math.min(o.pageSize, Math.floor(options.limit / o.chats.length)));
    let more = false;
    for (const opt of o.chats) {
      const at = cursor.chats[opt.username];
      try {
        const { chat, entity } = await this.resolve(client, account, opt.username);
        const ctx = { sourceId: this.sourceId, capturedAt, ...((opt.territory ?? this.source.territory) ? { territory: opt.territory ?? this.source.territory } : {}) };
        const r = await this.pollChat(client, account, chat, entity, at, perChat, opt.comments, ctx, items);
        next[opt.username] = r.cursor;
        more ||= r.more;
      } catch (e) {
        const err = isOtklikError(e) ? e : gramError(e, `telegram-mtproto @${opt.username} (source ${this.sourceId})`);
        if (accountWide(err)) throw err;
        notices.push(`@${opt.username} cannot be read: ${err.message}`);
      }
    }
    return { items, nextCursor: { chats: next }, more, ...(notices.length > 0 ? { notices } : {}) };
  }

  private async pollChat(client: GramClient, account: string, chat: MtChat, entity: Api.Channel, at: ChatCursor | undefined, limit: number, comments: boolean, ctx: { sourceId: string; capturedAt: string; territory?: string }, items: PollItem[]): Promise<{ cursor: ChatCursor; more: boolean }> {
    const o = this.source.options;
    const first = at === undefined;
    const where = `telegram-mtproto @${chat.username} (source ${this.sourceId})`;
    // New messages: oldest first after the last taken. The very first time, only the newest
    // `bootstrapBacklog` (the oldest of them first: the next polls go on from there by id).
    let fresh: MtRaw[];
    let more: boolean;
    let skipped = 0;
    if (first) {
      const backlog = (await this.messages(client, account, entity, { limit: Math.max(1, o.bootstrapBacklog) }, where)).reverse();
      if (o.bootstrapBacklog === 0) skipped = backlog.at(-1)?.id ?? 0;
      fresh = o.bootstrapBacklog === 0 ? [] : backlog.slice(0, limit);
      more = fresh.length < (o.bootstrapBacklog === 0 ? 0 : backlog.length);
    } else {
      fresh = await this.messages(client, account, entity, { minId: at.lastId, reverse: true, limit }, where);
      more = fresh.length >= limit;
    }
    const emit = (raw: MtRaw) => collect(items, `message-${chat.username}-${raw.id}`, raw, () => normalizeMtMessage(raw, chat, ctx));

    // Watched posts: edits and deletions by re-reading their ids.
    const watched = at?.tracked ?? [];
    const now = new Map<number, MtRaw>();
    if (watched.length > 0) {
      const got = await this.messages(client, account, entity, { ids: watched.map((t) => t.id) }, where);
      for (const m of got) now.set(m.id, m);
    }
    const tracked = reconcileWatched(
      watched,
      (t) => now.get(t.id),
      (t, m) => {
        if (m.editDate !== undefined && m.editDate !== t.last.editDate && m.message !== t.last.message) emit(m);
        return { ...t, last: m };
      },
      (t) => void collect(items, `message-${chat.username}-${t.id}`, t.last, () => tombstone(normalizeMtMessage(t.last, chat, ctx), ctx.capturedAt, ctx.capturedAt)),
    );
    for (const m of fresh) {
      emit(m);
      tracked.push({ id: m.id, replies: 0, lastReplyId: 0, misses: 0, last: m });
    }
    const keep = tracked.sort((a, b) => b.id - a.id).slice(0, o.trackPosts);

    // Comments under channel posts whose count moved (the post carries `replies` with `comments`).
    if (comments && chat.kind === 'channel') {
      for (const t of keep) {
        const count = t.last.replies?.comments ? t.last.replies.replies : 0;
        if (count === t.replies) continue;
        let lastReplyId = t.lastReplyId;
        for (let page = 0; page < MAX_REPLY_PAGES; page++) {
          const got = await this.messages(client, account, entity, { replyTo: t.id, minId: lastReplyId, reverse: true, limit: 100 }, where);
          for (const r of got) {
            lastReplyId = Math.max(lastReplyId, r.id);
            collect(items, `comment-${chat.username}-${t.id}-${r.peerId}-${r.id}`, r, () => normalizeMtMessage(r, chat, ctx, { chatId: chat.id, postId: t.id }));
          }
          if (got.length < 100) break;
        }
        Object.assign(t, { replies: count, lastReplyId });
      }
    }
    const lastId = Math.max(at?.lastId ?? 0, skipped, ...fresh.map((m) => m.id));
    return { cursor: { lastId, tracked: keep }, more };
  }

  /** One read within the account's budget; service messages and gone ones are left out. */
  private async messages(client: GramClient, account: string, entity: Api.Channel, q: MessagesQuery, where: string): Promise<MtRaw[]> {
    let got;
    try {
      got = await withinBudget(this.env, account, this.source.options.requestsPerSecond, () => client.getMessages(entity, q));
    } catch (e) {
      throw gramError(e, where);
    }
    return got.filter((m): m is Api.Message => m instanceof Api.Message).map(rawOf);
  }

  private async resolve(client: GramClient, account: string, username: string): Promise<{ chat: MtChat; entity: Api.Channel }> {
    const known = this.chats.get(username);
    if (known) return known;
    const where = `telegram-mtproto @${username} (source ${this.sourceId})`;
    let entity: unknown;
    try {
      entity = await withinBudget(this.env, account, this.source.options.requestsPerSecond, () => client.getEntity(username));
    } catch (e) {
      throw gramError(e, where);
    }
    if (!(entity instanceof Api.Channel)) throw new OtklikError('PLATFORM_ERROR', `${where}: not a public channel or chat (a user or a basic group)`, { details: { platform: 'tg' } });
    const chat: MtChat = { id: botApiChatId(entity.id), username: entity.username ?? username, title: entity.title, kind: entity.broadcast ? 'channel' : 'group' };
    const r = { chat, entity };
    this.chats.set(username, r);
    return r;
  }

  private async client(): Promise<{ client: GramClient; account: string }> {
    const o = this.source.options;
    const apiId = Number(this.env.secret(o.apiIdSecret));
    const apiHash = this.env.secret(o.apiHashSecret);
    const session = this.env.secret(o.sessionSecret);
    if (!Number.isInteger(apiId) || apiId <= 0 || !apiHash || !session) {
      throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: ${o.apiIdSecret}, ${o.apiHashSecret} and ${o.sessionSecret} must be set (see README: telegram-mtproto)`);
    }
    // The rate budget is the account's: keyed by a hash of the session, never the session.
    const account = `mtproto:${createHash('sha256').update(session).digest('hex').slice(0, 16)}`;
    try {
      return { client: await this.connect({ apiId, apiHash, session }), account };
    } catch (e) {
      throw gramError(e, `telegram-mtproto connect (source ${this.sourceId})`);
    }
  }
}

export const telegramMtprotoConnectorFactory: ConnectorFactory<TelegramMtprotoOptions> = {
  type: 'telegram-mtproto',
  optionsSchema: telegramMtprotoOptionsSchema,
  create: (source, env) => new TelegramMtprotoConnector(source, env),
};
