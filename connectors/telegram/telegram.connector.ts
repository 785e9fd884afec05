import { z } from 'zod';
import { OtklikError, isOtklikError } from '../../src/core/errors.js';
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
import { normalizeTgUpdate } from './normalize.js';
import { callBotApi } from '../../src/adapters/telegram/bot-api.js';
import { withinBudget } from '../../src/connector/connector.js';

export const telegramOptionsSchema = z
  .object({
    /** Chats (ids) whose updates this source keeps; empty keeps every chat the bot sees. */
    chats: z.array(z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(String)).default([]),
    /**
     * Long-poll seconds per request. 0 (short polling) fits the engine's scheduled ticks; a value
     * above 0 must stay below the poll interval, or a second poller would get 409.
     */
    longPollSeconds: z.number().int().min(0).max(50).default(0),
    apiUrl: z.string().url().default('https://api.telegram.org'),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  })
  .strict();

export type TelegramOptions = z.infer<typeof telegramOptionsSchema>;

const cursorSchema = z.object({ offset: z.number().int().min(0) });
export type TelegramCursor = z.infer<typeof cursorSchema>;

const sentMessageSchema = z.object({ message_id: z.number().int(), date: z.number().int(), chat: z.object({ id: z.number().int(), username: z.string().optional() }).passthrough() }).passthrough();

const MONITORED = ['message', 'edited_message', 'channel_post', 'edited_channel_post'];

/**
 * Telegram Bot API `getUpdates`: what the bot sees in channels it administers and groups (and the
 * discussion groups of channels) it is in. The cursor is the next update id; confirming happens when
 * the next poll asks from a higher offset, which the engine does only after the batch is enqueued.
 */
export class TelegramConnector implements Connector<TelegramCursor> {
  readonly type = 'telegram';
  readonly platform = 'tg' as const;
  readonly coverage = ['channels', 'groups', 'comments'] as const;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly chats: ReadonlySet<string>;

  constructor(
    private readonly source: SourceDefinition & { options: TelegramOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
    this.chats = new Set(source.options.chats);
  }

  initialCursor(): TelegramCursor {
    return { offset: 0 };
  }

  async poll(cursor: TelegramCursor, options: PollOptions): Promise<PollResult<TelegramCursor>> {
    const token = this.env.secret('TELEGRAM_BOT_TOKEN');
    if (!token) throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: TELEGRAM_BOT_TOKEN is not set`);
    const limit = Math.max(1, Math.min(100, options.limit));
    const o = this.source.options;
    const params = { ...(cursor.offset > 0 ? { offset: cursor.offset } : {}), limit, timeout: o.longPollSeconds, allowed_updates: MONITORED };
    let body: unknown;
    try {
      body = await this.call(token, 'getUpdates', params);
    } catch (e) {
      // A webhook blocks getUpdates (409): remove it, keeping its pending updates, and ask again once.
      // A 409 from a second poller is left to surface: only one process may poll a bot.
      if (!(isOtklikError(e) && e.code === 'PLATFORM_CONFLICT' && /webhook/i.test(e.message))) throw e;
      await this.call(token, 'deleteWebhook', { drop_pending_updates: false });
      body = await this.call(token, 'getUpdates', params);
    }
    if (!Array.isArray(body)) throw new OtklikError('PLATFORM_RESPONSE_INVALID', `telegram getUpdates (source ${this.sourceId}): result is not a list of updates`);
    const updates = body as { update_id: number }[];
    const capturedAt = this.env.now().toISOString();
    const ctx = { sourceId: this.sourceId, capturedAt, ...(this.source.territory ? { territory: this.source.territory } : {}) };
    const items: PollItem[] = [];
    let next = cursor.offset;
    for (const u of updates) {
      next = Math.max(next, u.update_id + 1);
      try {
        const post = normalizeTgUpdate(u, ctx);
        if (post && (this.chats.size === 0 || this.chats.has(post.community.id))) items.push({ ok: true, post });
      } catch (e) {
        if (!isOtklikError(e)) throw e;
        items.push({ ok: false, ref: `update-${u.update_id}`, error: e, raw: u });
      }
    }
    return { items, nextCursor: { offset: next }, more: updates.length === limit };
  }

  /**
   * Answers under a message: `sendMessage` with `reply_parameters` in the message's chat (for a
   * channel comment, that is the discussion group). Telegram has no idempotency key: the caller
   * records the receipt before anything can retry.
   */
  async reply(target: ReplyTarget, text: string): Promise<ReplyReceipt> {
    // A body may answer through its own bot; otherwise the monitoring bot answers.
    const token = (target.credentialsRef ? this.env.secret(target.credentialsRef) : undefined) ?? this.env.secret('TELEGRAM_BOT_TOKEN');
    if (!token) throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: TELEGRAM_BOT_TOKEN is not set`);
    const m = /^tg:(-?\d+):(\d+)$/.exec(target.postId);
    if (!m) throw new OtklikError('PLATFORM_ERROR', `cannot answer ${target.postId} on Telegram: not a Telegram message id`);
    const sent = sentMessageSchema.safeParse(
      await this.call(token, 'sendMessage', {
        chat_id: Number(m[1]),
        text: text.slice(0, 4096),
        reply_parameters: { message_id: Number(m[2]), allow_sending_without_reply: true },
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

  private call(token: string, method: string, params: Record<string, unknown>): Promise<unknown> {
    const o = this.source.options;
    // About 30 calls a second per bot is Telegram's overall limit (Bot FAQ).
    return withinBudget(this.env, token, 30, () => callBotApi({
      apiUrl: o.apiUrl,
      token,
      method,
      params,
      timeoutMs: o.timeoutMs + o.longPollSeconds * 1000,
      where: `telegram ${method} (source ${this.sourceId})`,
      ...(this.env.http ? { dispatcher: this.env.http } : {}),
    }));
  }
}

export const telegramConnectorFactory: ConnectorFactory<TelegramOptions> = {
  type: 'telegram',
  optionsSchema: telegramOptionsSchema,
  create: (source, env) => new TelegramConnector(source, env),
};
