import { Api } from 'telegram';
import type { Post } from '../../src/core/post.js';
import { contentRevision } from '../../src/core/revision.js';
import { unixToIso, type NormalizeContext } from '../../src/connector/normalize-context.js';

/** A chat as this connector reads it. */
export interface MtChat {
  /** The chat's id as the Bot API writes it (-100…), so both connectors give a message one id. */
  id: string;
  username: string;
  title: string;
  /** A broadcast channel (posts, comments in its discussion group) or a group (a public chat). */
  kind: 'channel' | 'group';
}

/**
 * A message as kept in a post's `raw` and dead letters: GramJS objects hold their client (cycles,
 * secrets), so only the MTProto fields the engine reads are kept, under their TL names.
 */
export interface MtRaw {
  id: number;
  peerId: string;
  date: number;
  editDate?: number;
  message: string;
  fromId?: string;
  post?: boolean;
  replyTo?: { replyToMsgId?: number; replyToTopId?: number; forumTopic?: boolean };
  replies?: { replies: number; comments?: boolean; maxId?: number };
  views?: number;
  forwards?: number;
}

/** `-100<channel id>` for channels and supergroups, as the Bot API and t.me/c links count them. */
export function botApiChatId(channelId: { toString(): string }): string {
  return `-100${channelId.toString()}`;
}

function peerToString(p: Api.TypePeer | undefined): string | undefined {
  if (p instanceof Api.PeerChannel) return botApiChatId(p.channelId);
  if (p instanceof Api.PeerUser) return p.userId.toString();
  if (p instanceof Api.PeerChat) return `-${p.chatId.toString()}`;
  return undefined;
}

export function rawOf(m: Api.Message): MtRaw {
  const from = peerToString(m.fromId ?? undefined);
  const reply = m.replyTo instanceof Api.MessageReplyHeader ? m.replyTo : undefined;
  return {
    id: m.id,
    peerId: peerToString(m.peerId) ?? '',
    date: m.date,
    ...(m.editDate ? { editDate: m.editDate } : {}),
    message: m.message ?? '',
    ...(from ? { fromId: from } : {}),
    ...(m.post ? { post: true } : {}),
    ...(reply ? { replyTo: { ...(reply.replyToMsgId ? { replyToMsgId: reply.replyToMsgId } : {}), ...(reply.replyToTopId ? { replyToTopId: reply.replyToTopId } : {}), ...(reply.forumTopic ? { forumTopic: true } : {}) } } : {}),
    ...(m.replies ? { replies: { replies: m.replies.replies, ...(m.replies.comments ? { comments: true } : {}), ...(m.replies.maxId ? { maxId: m.replies.maxId } : {}) } } : {}),
    ...(m.views !== undefined ? { views: m.views } : {}),
    ...(m.forwards !== undefined ? { forwards: m.forwards } : {}),
  };
}

/**
 * A channel post, a message of a public chat, or (with `under`) a comment in a channel post's
 * discussion thread, with the Bot API's ids: `tg:<chat>:<message>`. In a public chat a reply to
 * another message is a comment under it (forum topics excepted: those are posts of their topic).
 */
export function normalizeMtMessage(raw: MtRaw, chat: MtChat, ctx: NormalizeContext, under?: { chatId: string; postId: number }): Post {
  const chatId = under ? raw.peerId : chat.id;
  const editedAt = raw.editDate === undefined ? undefined : unixToIso(raw.editDate);
  const replyTo = raw.replyTo && !raw.replyTo.forumTopic ? raw.replyTo.replyToMsgId : undefined;
  const parentId = under ? `tg:${under.chatId}:${under.postId}` : chat.kind === 'group' && replyTo !== undefined ? `tg:${chat.id}:${replyTo}` : undefined;
  const author: Post['author'] = raw.fromId === undefined ? (chat.kind === 'channel' && !under ? { id: chat.id, kind: 'community' } : null) : { id: raw.fromId, kind: raw.fromId.startsWith('-') ? 'community' : 'user' };
  // Comments live in the discussion group; their public link is the channel post's with ?comment=.
  const permalink = under ? `https://t.me/${chat.username}/${under.postId}?comment=${raw.id}` : `https://t.me/${chat.username}/${raw.id}`;
  return {
    id: `tg:${chatId}:${raw.id}`,
    revision: contentRevision(raw.message, editedAt),
    platform: 'tg',
    kind: parentId ? 'comment' : 'post',
    sourceId: ctx.sourceId,
    community: under ? { id: raw.peerId } : { id: chat.id, name: chat.title },
    author,
    ...(parentId ? { parentId } : {}),
    text: raw.message,
    createdAt: unixToIso(raw.date),
    ...(editedAt === undefined ? {} : { editedAt }),
    permalink,
    engagement: {
      ...(raw.views === undefined ? {} : { views: raw.views }),
      ...(raw.forwards === undefined ? {} : { reposts: raw.forwards }),
      ...(raw.replies ? { comments: raw.replies.replies } : {}),
    },
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}
