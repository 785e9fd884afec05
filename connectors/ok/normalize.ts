import { z } from 'zod';
import type { Post } from '../../src/core/post.js';
import { contentRevision } from '../../src/core/revision.js';
import { invalidPayload, type NormalizeContext } from '../../src/connector/normalize-context.js';

/** OK ids are strings, sometimes sent as numbers; normalise to strings. */
const okId = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
/** Milliseconds since the epoch, within what a Date can hold. */
const epochMs = z.number().int().positive().max(8.64e15);
const summary = z.object({ count: z.number().int().nonnegative() }).passthrough().optional();

/** A media topic from `mediatopic.getByIds` (text lives in `media[]` items of type `text`). */
export const okTopicSchema = z
  .object({
    id: okId,
    created_ms: epochMs,
    owner_ref: z.string().regex(/^group:\d+$/),
    author_ref: z.string().optional(),
    media: z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()).default([]),
    discussion_summary: z.object({ comments_count: z.number().int().nonnegative() }).passthrough().optional(),
    like_summary: summary,
    reshare_summary: summary,
  })
  .passthrough();

/** A comment from `discussions.getComments`; ids are opaque strings. */
export const okCommentSchema = z
  .object({
    // Opaque, but they end up in post and job ids: letters, digits and base64 punctuation only.
    id: z.string().regex(/^[A-Za-z0-9_=+/.-]{1,200}$/, 'an OK comment id'),
    author_id: okId.optional(),
    text: z.string().default(''),
    date_ms: epochMs,
    like_count: z.number().int().nonnegative().optional(),
  })
  .passthrough();

function refAuthor(ref: string | undefined): Post['author'] {
  if (!ref) return null;
  const [kind, id] = ref.split(':');
  if (!id) return null;
  return { id, kind: kind === 'group' ? 'community' : kind === 'user' ? 'user' : 'unknown' };
}

export function normalizeOkTopic(raw: unknown, ctx: NormalizeContext): Post {
  const parsed = okTopicSchema.safeParse(raw);
  if (!parsed.success) throw invalidPayload('ok', parsed.error, { kind: 'topic' });
  const t = parsed.data;
  const gid = t.owner_ref.slice('group:'.length);
  const text = t.media
    .filter((m) => m.type === 'text' && m.text !== undefined)
    .map((m) => m.text)
    .join('\n');
  return {
    id: `ok:${gid}:${t.id}`,
    revision: contentRevision(text),
    platform: 'ok',
    kind: 'post',
    sourceId: ctx.sourceId,
    community: { id: gid },
    author: refAuthor(t.author_ref),
    text,
    createdAt: new Date(t.created_ms).toISOString(),
    // The topic permalink form is [observed] in the platform reference.
    permalink: `https://ok.ru/group/${gid}/topic/${t.id}`,
    engagement: {
      ...(t.like_summary ? { likes: t.like_summary.count } : {}),
      ...(t.reshare_summary ? { reposts: t.reshare_summary.count } : {}),
      ...(t.discussion_summary ? { comments: t.discussion_summary.comments_count } : {}),
    },
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}

/** OK comments need their topic and group, which the comment itself does not carry. */
export function normalizeOkComment(raw: unknown, ctx: NormalizeContext & { groupId: string; topicId: string }): Post {
  const parsed = okCommentSchema.safeParse(raw);
  if (!parsed.success) throw invalidPayload('ok', parsed.error, { kind: 'comment' });
  const c = parsed.data;
  return {
    id: `ok:${ctx.topicId}:c${c.id}`,
    revision: contentRevision(c.text),
    platform: 'ok',
    kind: 'comment',
    sourceId: ctx.sourceId,
    community: { id: ctx.groupId },
    author: c.author_id === undefined ? null : { id: c.author_id, kind: 'user' },
    parentId: `ok:${ctx.groupId}:${ctx.topicId}`,
    text: c.text,
    createdAt: new Date(c.date_ms).toISOString(),
    // No documented per-comment permalink (⚠️ UNCONFIRMED in the reference): link to the topic.
    permalink: `https://ok.ru/group/${ctx.groupId}/topic/${ctx.topicId}`,
    engagement: c.like_count === undefined ? {} : { likes: c.like_count },
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}
