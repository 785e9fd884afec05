import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OtklikError, isOtklikError } from '../../src/core/errors.js';
import { revisionKey } from '../../src/core/post.js';
import type {
  Connector,
  ConnectorEnvironment,
  ConnectorFactory,
  PollItem,
  PollOptions,
  PollResult,
  ReplyReceipt,
  ReplyTarget,
  SourceDefinition,
} from '../../src/connector/connector.js';
import { MemoryBotUpdateHub, type BotUpdateHub } from '../../src/connector/bot-update-hub.js';
import { messageLinks, normalizeTgUpdate, threadKeys } from './normalize.js';
import { callBotApi } from '../../src/platform/telegram-bot-api.js';
import { withinBudget } from '../../src/connector/connector.js';

export const telegramOptionsSchema = z
  .object({
    /**
     * Chats (ids) whose posts this source keeps; a channel's id also keeps the comments under its
     * posts. Empty keeps every chat the bot sees.
     */
    chats: z.array(z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(String)).default([]),
    /**
     * Long-poll seconds per request. 0 (short polling) fits the engine's scheduled ticks; a value
     * above 0 must stay below the poll interval.
     */
    longPollSeconds: z.number().int().min(0).max(50).default(0),
    apiUrl: z.string().url().default('https://api.telegram.org'),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  })
  .strict();

export type TelegramOptions = z.infer<typeof telegramOptionsSchema>;

const cursorSchema = z.object({
  /** Where this source is in its inbox of the bot's updates ('' before the first). */
  inbox: z.string().default(''),
  /** The bot's offset as the version before the shared reader kept it: where the bot's reading resumes. */
  offset: z.number().int().min(0).optional(),
});
export type TelegramCursor = z.infer<typeof cursorSchema>;

const sentMessageSchema = z.object({ message_id: z.number().int(), date: z.number().int(), chat: z.object({ id: z.number().int(), username: z.string().optional() }).passthrough() }).passthrough();
/** `getMe` (Bot API `UserFromGetMe`): privacy mode is `can_read_all_group_messages: false`. */
const meSchema = z.object({ id: z.number().int(), can_read_all_group_messages: z.boolean() }).passthrough();
/** `getChat` (Bot API `ChatFullInfo`): a channel's discussion group is `linked_chat_id`. */
const chatInfoSchema = z.object({ id: z.number().int(), type: z.string(), title: z.string().optional(), username: z.string().optional(), linked_chat_id: z.number().int().optional() }).passthrough();
type ChatInfo = z.infer<typeof chatInfoSchema>;
const memberSchema = z.object({ status: z.string() }).passthrough();

const MONITORED = ['message', 'edited_message', 'channel_post', 'edited_channel_post'];
/** How long a channel post and its copy in the discussion group stay linked (answers, comment parents). */
const LINK_TTL_S = 30 * 86_400;
/** How often the bot's view (privacy mode, admin rights) is checked. */
const VISIBILITY_EVERY_MS = 3_600_000;

/** A bot as the hub knows it: a hash of its token, never the token. */
export function botKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * Telegram Bot API `getUpdates`: what the bot sees in channels it administers and groups (and the
 * discussion groups of channels) it is in. Telegram confirms every update below the offset any
 * caller sends, so the bot is read by one reader at a time (the hub), which puts each update into
 * the inbox of every source on the bot before the offset moves; this source then takes its own
 * inbox from its cursor. A channel post's automatic copy in the discussion group is the same post,
 * and comments hang under the channel post they discuss.
 */
export class TelegramConnector implements Connector<TelegramCursor> {
  readonly type = 'telegram';
  readonly platform = 'tg' as const;
  readonly coverage = ['channels', 'groups', 'comments'] as const;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly chats: ReadonlySet<string>;
  private readonly hub: BotUpdateHub;
  private readonly chatInfos = new Map<string, ChatInfo>();
  private visibility: { at: number; notices: string[] } | undefined;

  constructor(
    private readonly source: SourceDefinition & { options: TelegramOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
    this.chats = new Set(source.options.chats);
    // Outside the engine (tests, one-off tools) the source reads the bot alone, as if it had its own hub.
    this.hub = env.botUpdates ?? new MemoryBotUpdateHub();
  }

  initialCursor(): TelegramCursor {
    return { inbox: '' };
  }

  async poll(cursor: TelegramCursor, options: PollOptions): Promise<PollResult<TelegramCursor>> {
    const token = this.token();
    const bot = botKey(token);
    const limit = Math.max(1, Math.min(100, options.limit));
    const o = this.source.options;
    await this.hub.subscribe(bot, this.sourceId);
    // The saved cursor has passed everything up to it: the inbox can forget that much.
    await this.hub.trim(bot, this.sourceId, cursor.inbox);
    const notices = await this.visible(token);
    let readFull = false;
    const holdMs = o.timeoutMs + o.longPollSeconds * 1000 + 5000;
    await this.hub.readExclusive(bot, holdMs, async (offset) => {
      const from = offset ?? cursor.offset;
      const updates = await this.getUpdates(token, from);
      readFull = updates.length === 100;
      // Copies of channel posts in discussion groups: remembered once, by the reader.
      for (const [a, b] of messageLinks(updates)) await this.hub.link(bot, a, b, LINK_TTL_S);
      const last = updates.reduce((m, u) => Math.max(m, u.update_id), -1);
      return { updates, nextOffset: last >= 0 ? last + 1 : (from ?? 0) };
    });

    const entries = await this.hub.inbox(bot, this.sourceId, cursor.inbox, limit);
    const raws = entries.map((e) => e.update);
    // A reply to a comment names only its thread in the group: which channel post that thread is.
    const links = await this.hub.linked(bot, threadKeys(raws));
    for (const [a, b] of messageLinks(raws)) links.set(a, b);
    const ctx = { sourceId: this.sourceId, capturedAt: this.env.now().toISOString(), ...(this.source.territory ? { territory: this.source.territory } : {}) };
    const items: PollItem[] = [];
    // A channel post and its copy in the discussion group are one post: taken once per batch.
    const taken = new Set<string>();
    for (const [i, raw] of raws.entries()) {
      try {
        const post = normalizeTgUpdate(raw, ctx, links);
        if (!post || !this.keeps(post.community.id, post.parentId) || taken.has(revisionKey(post))) continue;
        taken.add(revisionKey(post));
        items.push({ ok: true, post });
      } catch (e) {
        if (!isOtklikError(e)) throw e;
        const id = (raw as { update_id?: unknown }).update_id;
        items.push({ ok: false, ref: `update-${typeof id === 'number' ? id : (entries[i]?.position ?? String(i))}`, error: e, raw });
      }
    }
    const next = entries.at(-1)?.position ?? cursor.inbox;
    return { items, nextCursor: { inbox: next }, more: entries.length === limit || readFull, ...(notices.length > 0 ? { notices } : {}) };
  }

  /** A chat kept by the source's list, or a comment under a post of a channel on the list. */
  private keeps(chatId: string, parentId: string | undefined): boolean {
    if (this.chats.size === 0 || this.chats.has(chatId)) return true;
    const parentChat = parentId?.split(':')[1];
    return parentChat !== undefined && this.chats.has(parentChat);
  }

  private async getUpdates(token: string, offset: number | undefined): Promise<{ update_id: number }[]> {
    const o = this.source.options;
    const params = { ...(offset !== undefined && offset > 0 ? { offset } : {}), limit: 100, timeout: o.longPollSeconds, allowed_updates: MONITORED };
    let body: unknown;
    try {
      body = await this.call(token, 'getUpdates', params);
    } catch (e) {
      // A webhook blocks getUpdates (409): remove it, keeping its pending updates, and ask again once.
      // A 409 from a poller outside this engine is left to surface: only one may poll a bot.
      if (!(isOtklikError(e) && e.code === 'PLATFORM_CONFLICT' && /webhook/i.test(e.message))) throw e;
      await this.call(token, 'deleteWebhook', { drop_pending_updates: false });
      body = await this.call(token, 'getUpdates', params);
    }
    const updates = z.array(z.object({ update_id: z.number().int().nonnegative() }).passthrough()).safeParse(body);
    if (!updates.success) throw new OtklikError('PLATFORM_RESPONSE_INVALID', `telegram getUpdates (source ${this.sourceId}): result is not a list of updates`, { details: { platform: 'tg', raw: JSON.stringify(body ?? null).slice(0, 2000) } });
    return updates.data;
  }

  /**
   * What the bot cannot see, checked hourly: with privacy mode on (`getMe`) it gets only commands
   * and replies to itself in groups where it is not an administrator, and a channel delivers posts
   * only to administrators. Said as notices, so a blind bot does not look healthy.
   */
  private async visible(token: string): Promise<string[]> {
    const now = this.env.now().getTime();
    if (this.visibility && now - this.visibility.at < VISIBILITY_EVERY_MS) return [];
    const notices: string[] = [];
    const me = this.parse(meSchema, await this.call(token, 'getMe', {}), 'getMe');
    for (const chatId of this.chats) {
      try {
        const chat = await this.chatInfo(token, chatId);
        const member = this.parse(memberSchema, await this.call(token, 'getChatMember', { chat_id: Number(chatId), user_id: me.id }), 'getChatMember');
        const admin = member.status === 'administrator' || member.status === 'creator';
        const name = `${chat.title ?? chatId} (${chatId})`;
        if (chat.type === 'channel' && !admin) notices.push(`the bot is not an administrator of the channel ${name}: Telegram does not deliver its posts to the bot`);
        if (chat.type !== 'channel' && !admin && !me.can_read_all_group_messages) notices.push(`privacy mode is on and the bot is not an administrator of ${name}: it sees only commands and replies to itself there (turn privacy off with @BotFather /setprivacy and add the bot again, or make it an administrator)`);
      } catch (e) {
        if (!(isOtklikError(e) && (e.code === 'PLATFORM_ERROR' || e.code === 'PLATFORM_AUTH_FAILED'))) throw e;
        notices.push(`the bot cannot see chat ${chatId}: ${e.message}`);
      }
    }
    if (this.chats.size === 0 && !me.can_read_all_group_messages) notices.push('privacy mode is on: in groups where the bot is not an administrator it sees only commands and replies to itself (turn it off with @BotFather /setprivacy and add the bot again)');
    this.visibility = { at: now, notices };
    return notices;
  }

  private async chatInfo(token: string, chatId: string): Promise<ChatInfo> {
    const known = this.chatInfos.get(chatId);
    if (known) return known;
    const info = this.parse(chatInfoSchema, await this.call(token, 'getChat', { chat_id: Number(chatId) }), 'getChat');
    this.chatInfos.set(chatId, info);
    return info;
  }

  /**
   * Answers under a message with `sendMessage` and `reply_parameters`. A comment is answered in its
   * discussion group. A channel post is answered in the channel's discussion group, replying to the
   * post's automatic copy there, so the answer sits under the post; a channel without a discussion
   * group (or a copy the bot never saw) is refused, because a message to the channel itself would
   * go to every subscriber. Telegram has no idempotency key: the caller records the receipt first.
   */
  async reply(target: ReplyTarget, text: string): Promise<ReplyReceipt> {
    const monitoring = this.token();
    // A body may answer through its own bot; otherwise the monitoring bot answers.
    const token = (target.credentialsRef ? this.env.secret(target.credentialsRef) : undefined) ?? monitoring;
    const m = /^tg:(-?\d+):(\d+)$/.exec(target.postId);
    if (!m) throw new OtklikError('PLATFORM_ERROR', `cannot answer ${target.postId} on Telegram: not a Telegram message id`);
    let chatId = m[1] as string;
    let messageId = Number(m[2]);
    const chat = await this.chatInfo(monitoring, chatId);
    if (chat.type === 'channel') {
      if (chat.linked_chat_id === undefined) {
        throw new OtklikError('REPLY_NOT_POSSIBLE', `cannot answer ${target.postId}: the channel has no discussion group, and a message to the channel would go to every subscriber`, { details: { platform: 'tg', reason: 'no-discussion-group' } });
      }
      const copy = (await this.hub.linked(botKey(monitoring), [`${chatId}:${messageId}`])).get(`${chatId}:${messageId}`);
      if (!copy || !copy.startsWith(`${chat.linked_chat_id}:`)) {
        throw new OtklikError('REPLY_NOT_POSSIBLE', `cannot answer ${target.postId}: the bot has not seen this post's copy in the discussion group ${chat.linked_chat_id} (it must be a member there)`, { details: { platform: 'tg', reason: 'copy-unknown' } });
      }
      chatId = String(chat.linked_chat_id);
      messageId = Number(copy.split(':')[1]);
    }
    const sent = sentMessageSchema.safeParse(
      await this.call(token, 'sendMessage', {
        chat_id: Number(chatId),
        text: text.slice(0, 4096),
        // Under a channel post the reply must land on the copy, or it would not be under the post.
        reply_parameters: { message_id: messageId, allow_sending_without_reply: chat.type !== 'channel' },
        link_preview_options: { is_disabled: true },
      }),
    );
    if (!sent.success) throw new OtklikError('PLATFORM_RESPONSE_INVALID', `telegram sendMessage (source ${this.sourceId}): the answer is not a Message`);
    const msg = sent.data;
    return {
      publishedAt: new Date(msg.date * 1000).toISOString(),
      platformId: `tg:${msg.chat.id}:${msg.message_id}`,
      ...(msg.chat.username ? { url: `https://t.me/${msg.chat.username}/${msg.message_id}` } : {}),
    };
  }

  private token(): string {
    const token = this.env.secret('TELEGRAM_BOT_TOKEN');
    if (!token) throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: TELEGRAM_BOT_TOKEN is not set`);
    return token;
  }

  private parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, method: string): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    throw new OtklikError('PLATFORM_RESPONSE_INVALID', `telegram ${method} (source ${this.sourceId}): unexpected result at ${r.error.issues[0]?.path.join('.') || '(root)'}`, { details: { platform: 'tg', raw: JSON.stringify(value ?? null).slice(0, 2000) } });
  }

  private call(token: string, method: string, params: Record<string, unknown>): Promise<unknown> {
    const o = this.source.options;
    // About 30 calls a second per bot is Telegram's overall limit (Bot FAQ).
    return withinBudget(this.env, token, 30, () =>
      callBotApi({
        apiUrl: o.apiUrl,
        token,
        method,
        params,
        timeoutMs: o.timeoutMs + o.longPollSeconds * 1000,
        where: `telegram ${method} (source ${this.sourceId})`,
        ...(this.env.http ? { dispatcher: this.env.http } : {}),
      }),
    );
  }
}

export const telegramConnectorFactory: ConnectorFactory<TelegramOptions> = {
  type: 'telegram',
  optionsSchema: telegramOptionsSchema,
  create: (source, env) => new TelegramConnector(source, env),
};
