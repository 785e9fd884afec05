import { z } from 'zod';
import type { Post } from '../../src/core/post.js';
import { contentRevision } from '../../src/core/revision.js';
import { invalidPayload, type NormalizeContext } from '../../src/connector/normalize-context.js';

/** OK ids are 64-bit numbers (about 20 digits), sent as strings or numbers: kept as strings, bounded. */
const okId = z.union([z.string().regex(/^\d{1,30}$/, 'an OK id (digits)'), z.number().int().nonnegative()]).transform(String);
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

/** OK's local time of day, "yyyy-MM-dd HH:mm:ss". */
const OK_LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** Moscow has kept UTC+3 all year since 26 October 2014: a fixed offset is exact for any comment since. */
const MOSCOW_OFFSET_MS = 3 * 3_600_000;

/**
 * A comment's time in milliseconds. `discussions.getComments` sends only `date`, Moscow local time
 * to the second (platform reference 2.4, corrected: no `date_ms`, as the independent client
 * oland-dmd/Odnoklassniki found after first reading `date_ms` and getting zero for every comment);
 * a `created_ms`/`date_ms` number wins if OK ever sends one.
 */
export function okCommentTimeMs(c: { date?: string | undefined; date_ms?: number | undefined; created_ms?: number | undefined }): number | undefined {
  const exact = c.created_ms ?? c.date_ms;
  if (exact !== undefined) return exact;
  const m = OK_LOCAL_TIME.exec(c.date ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se) - MOSCOW_OFFSET_MS;
  // Date.UTC rolls 2026-02-31 over into March: a date that does not round-trip is not a date.
  return new Date(ms + MOSCOW_OFFSET_MS).getUTCDate() === d ? ms : undefined;
}

/** A comment from `discussions.getComments`; ids are opaque strings. */
export const okCommentSchema = z
  .object({
    // Opaque, but they end up in post and job ids: letters, digits and base64 punctuation only.
    id: z.string().regex(/^[A-Za-z0-9_=+/.-]{1,200}$/, 'an OK comment id'),
    author_id: okId.optional(),
    text: z.string().default(''),
    date: z.string().regex(OK_LOCAL_TIME, 'an OK local time "yyyy-MM-dd HH:mm:ss"').optional(),
    date_ms: epochMs.optional(),
    created_ms: epochMs.optional(),
    like_count: z.number().int().nonnegative().optional(),
  })
  .passthrough()
  .refine((c) => okCommentTimeMs(c) !== undefined, { message: 'a comment needs its time (`date`)', path: ['date'] });

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
    createdAt: new Date(okCommentTimeMs(c) as number).toISOString(),
    // No documented per-comment permalink (⚠️ UNCONFIRMED in the reference): link to the topic.
    permalink: `https://ok.ru/group/${ctx.groupId}/topic/${ctx.topicId}`,
    engagement: c.like_count === undefined ? {} : { likes: c.like_count },
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}
