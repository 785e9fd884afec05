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

export const tgMessageSchema = z
  .object({
    message_id: z.number().int().nonnegative(),
    message_thread_id: z.number().int().optional(),
    date: unixSeconds,
    edit_date: unixSeconds.optional(),
    chat: chatSchema,
    from: z.object({ id: z.number().int(), is_bot: z.boolean() }).passthrough().optional(),
    sender_chat: chatSchema.optional(),
    is_automatic_forward: z.boolean().optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
  })
  .passthrough();

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

/**
 * Normalises one Bot API update carrying a message, an edit or a channel post.
 * Returns null for updates the engine does not monitor (reactions, member changes...).
 */
export function normalizeTgUpdate(raw: unknown, ctx: NormalizeContext): Post | null {
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
  const isComment = m.chat.type !== 'channel' && m.message_thread_id !== undefined && !m.is_automatic_forward;
  const author: Post['author'] = m.sender_chat
    ? { id: String(m.sender_chat.id), kind: 'community' }
    : m.from
      ? { id: String(m.from.id), kind: 'user' }
      : null;
  const link = permalink(m.chat, m.message_id);
  return {
    id: `tg:${m.chat.id}:${m.message_id}`,
    revision: contentRevision(text, editedAt),
    platform: 'tg',
    kind: isComment ? 'comment' : 'post',
    sourceId: ctx.sourceId,
    community: { id: String(m.chat.id), ...(m.chat.title === undefined ? {} : { name: m.chat.title }) },
    author,
    ...(isComment ? { parentId: `tg:${m.chat.id}:${m.message_thread_id}` } : {}),
    text,
    createdAt: unixToIso(m.date),
    ...(editedAt === undefined ? {} : { editedAt }),
    ...(link === undefined ? {} : { permalink: link }),
    engagement: {},
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}
