import { z } from 'zod';
import type { Post } from '../../src/core/post.js';
import { OtklikError } from '../../src/core/errors.js';
import { contentRevision } from '../../src/core/revision.js';
import { invalidPayload, unixSeconds, unixToIso, type NormalizeContext } from '../../src/connector/normalize-context.js';

const chatSchema = z
  .object({
    id: z.number().int(),
    type: z.enum(['private', 'group', 'supergroup', 'channel']),
    title: z.string().optional(),
    username: z.string().optional(),
  })
  .passthrough();

/** Bot API `MessageOrigin` of type `channel`: where an automatic copy in a discussion group came from. */
const channelOriginSchema = z.object({ type: z.literal('channel'), chat: chatSchema, message_id: z.number().int().positive(), date: unixSeconds }).passthrough();

/** The fields of a Bot API `Message` the engine reads (types: @grammyjs/types, Bot API 9.x). */
const messageFields = {
  message_id: z.number().int().nonnegative(),
  message_thread_id: z.number().int().optional(),
  /** A message in a forum topic: a post of that topic, not a comment. */
  is_topic_message: z.boolean().optional(),
  date: unixSeconds,
  edit_date: unixSeconds.optional(),
  chat: chatSchema,
  from: z.object({ id: z.number().int(), is_bot: z.boolean() }).passthrough().optional(),
  sender_chat: chatSchema.optional(),
  /** A channel post copied into the channel's discussion group by Telegram itself. */
  is_automatic_forward: z.boolean().optional(),
  forward_origin: z.object({ type: z.string() }).passthrough().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
};

export const tgMessageSchema = z
  .object({
    ...messageFields,
    // One level only: a replied message carries no reply of its own (Bot API).
    reply_to_message: z.object(messageFields).passthrough().optional(),
  })
  .passthrough();
type TgMessage = z.infer<typeof tgMessageSchema>;

export const tgUpdateSchema = z
  .object({
    update_id: z.number().int().nonnegative(),
    message: tgMessageSchema.optional(),
    edited_message: tgMessageSchema.optional(),
    channel_post: tgMessageSchema.optional(),
    edited_channel_post: tgMessageSchema.optional(),
  })
  .passthrough();

/** t.me links: public chats by username, private ones by the `c/` form without the -100 prefix. */
function permalink(chat: z.infer<typeof chatSchema>, messageId: number): string | undefined {
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  const id = String(chat.id);
  if (id.startsWith('-100')) return `https://t.me/c/${id.slice(4)}/${messageId}`;
  return undefined;
}

/** The channel post an automatic copy in a discussion group stands for. */
function copiedFrom(m: { is_automatic_forward?: boolean | undefined; forward_origin?: unknown }): z.infer<typeof channelOriginSchema> | undefined {
  if (!m.is_automatic_forward) return undefined;
  const origin = channelOriginSchema.safeParse(m.forward_origin);
  return origin.success ? origin.data : undefined;
}

function messageOf(raw: unknown): TgMessage | undefined {
  const u = tgUpdateSchema.safeParse(raw);
  return u.success ? (u.data.message ?? u.data.edited_message ?? u.data.channel_post ?? u.data.edited_channel_post) : undefined;
}

/**
 * Channel posts and their automatic copies in discussion groups found in these updates, as
 * `["<channel>:<post>", "<group>:<copy>"]`: from the copies themselves and from comments that reply
 * to one (a comment carries the message it replies to).
 */
export function messageLinks(updates: readonly unknown[]): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of updates) {
    const m = messageOf(raw);
    for (const x of [m, m?.reply_to_message]) {
      const origin = x ? copiedFrom(x) : undefined;
      if (x && origin) out.push([`${origin.chat.id}:${origin.message_id}`, `${x.chat.id}:${x.message_id}`]);
    }
  }
  return out;
}

/** `"<group>:<thread>"` for each comment in these updates: the threads whose channel post is wanted. */
export function threadKeys(updates: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const raw of updates) {
    const m = messageOf(raw);
    if (m && isComment(m)) out.add(`${m.chat.id}:${m.message_thread_id}`);
  }
  return [...out];
}

function isComment(m: TgMessage): boolean {
  return m.chat.type !== 'channel' && m.message_thread_id !== undefined && !m.is_automatic_forward && !m.is_topic_message;
}

/**
 * What a comment answers: the channel post its thread discusses (the copy it replies to says so, or
 * a link remembered from that copy), else the thread's first message in the group.
 */
function parentOf(m: TgMessage, links: ReadonlyMap<string, string>): string {
  const origin = m.reply_to_message ? copiedFrom(m.reply_to_message) : undefined;
  if (origin) return `tg:${origin.chat.id}:${origin.message_id}`;
  const linked = links.get(`${m.chat.id}:${m.message_thread_id}`);
  return linked ? `tg:${linked}` : `tg:${m.chat.id}:${m.message_thread_id}`;
}

/**
 * Normalises one Bot API update carrying a message, an edit or a channel post. A channel post's
 * automatic copy in the discussion group becomes that channel post (same id, so it is one post
 * however it was seen); a comment's parent is the channel post it discusses (`links`: group
 * messages to channel posts, see messageLinks). Returns null for updates the engine does not
 * monitor (reactions, member changes...).
 */
export function normalizeTgUpdate(raw: unknown, ctx: NormalizeContext, links: ReadonlyMap<string, string> = new Map()): Post | null {
  const parsed = tgUpdateSchema.safeParse(raw);
  if (!parsed.success) throw invalidPayload('tg', parsed.error, { kind: 'update' });
  const u = parsed.data;
  const m = u.message ?? u.edited_message ?? u.channel_post ?? u.edited_channel_post;
  if (!m) return null;
  if (m.message_id === 0) {
    throw new OtklikError('POST_INVALID', 'tg message_id 0 is an ephemeral placeholder', {
      details: { platform: 'tg', field: 'message_id' },
    });
  }
  const text = m.text ?? m.caption ?? '';
  const editedAt = m.edit_date === undefined ? undefined : unixToIso(m.edit_date);
  const origin = copiedFrom(m);
  // The copy stands for the channel post: its chat, id, time and link are the channel's.
  const chat = origin ? origin.chat : m.chat;
  const messageId = origin ? origin.message_id : m.message_id;
  const comment = isComment(m);
  const author: Post['author'] = origin
    ? { id: String(origin.chat.id), kind: 'community' }
    : m.sender_chat
      ? { id: String(m.sender_chat.id), kind: 'community' }
      : m.from
        ? { id: String(m.from.id), kind: 'user' }
        : null;
  const link = permalink(chat, messageId);
  return {
    id: `tg:${chat.id}:${messageId}`,
    revision: contentRevision(text, editedAt),
    platform: 'tg',
    kind: comment ? 'comment' : 'post',
    sourceId: ctx.sourceId,
    community: { id: String(chat.id), ...(chat.title === undefined ? {} : { name: chat.title }) },
    author,
    ...(comment ? { parentId: parentOf(m, links) } : {}),
    text,
    createdAt: unixToIso(origin ? origin.date : m.date),
    ...(editedAt === undefined ? {} : { editedAt }),
    ...(link === undefined ? {} : { permalink: link }),
    engagement: {},
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}
