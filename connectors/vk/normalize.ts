import { z } from 'zod';
import type { Post } from '../../src/core/post.js';
import { contentRevision } from '../../src/core/revision.js';
import { invalidPayload, unixSeconds, unixToIso, type NormalizeContext } from '../../src/connector/normalize-context.js';

const counter = z.object({ count: z.number().int().nonnegative() }).passthrough().optional();

/** `wall_wallpost_full`, the fields the engine reads; unknown fields pass through into `raw`. */
export const vkPostSchema = z
  .object({
    id: z.number().int().positive(),
    owner_id: z.number().int(),
    from_id: z.number().int().optional(),
    date: unixSeconds,
    edited: unixSeconds.optional(),
    text: z.string(),
    is_pinned: z.union([z.literal(0), z.literal(1)]).optional(),
    comments: counter,
    likes: counter,
    reposts: counter,
    views: counter,
  })
  .passthrough();

/** `wall_wall_comment`. Comments carry no `edited` marker (platform reference 1.5). */
export const vkCommentSchema = z
  .object({
    id: z.number().int().positive(),
    owner_id: z.number().int(),
    post_id: z.number().int().positive(),
    from_id: z.number().int().optional(),
    date: unixSeconds,
    text: z.string().default(''),
    deleted: z.boolean().optional(),
    likes: counter,
  })
  .passthrough();

function vkAuthor(fromId: number | undefined): Post['author'] {
  if (fromId === undefined) return null;
  return { id: String(fromId), kind: fromId < 0 ? 'community' : 'user' };
}

export function normalizeVkPost(raw: unknown, ctx: NormalizeContext): Post {
  const parsed = vkPostSchema.safeParse(raw);
  if (!parsed.success) throw invalidPayload('vk', parsed.error, { kind: 'post' });
  const p = parsed.data;
  const editedAt = p.edited === undefined ? undefined : unixToIso(p.edited);
  return {
    id: `vk:${p.owner_id}_${p.id}`,
    revision: contentRevision(p.text, editedAt),
    platform: 'vk',
    kind: 'post',
    sourceId: ctx.sourceId,
    community: { id: String(p.owner_id) },
    author: vkAuthor(p.from_id),
    text: p.text,
    createdAt: unixToIso(p.date),
    ...(editedAt === undefined ? {} : { editedAt }),
    permalink: `https://vk.com/wall${p.owner_id}_${p.id}`,
    engagement: {
      ...(p.likes ? { likes: p.likes.count } : {}),
      ...(p.reposts ? { reposts: p.reposts.count } : {}),
      ...(p.comments ? { comments: p.comments.count } : {}),
      ...(p.views ? { views: p.views.count } : {}),
    },
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}

export function normalizeVkComment(raw: unknown, ctx: NormalizeContext): Post {
  const parsed = vkCommentSchema.safeParse(raw);
  if (!parsed.success) throw invalidPayload('vk', parsed.error, { kind: 'comment' });
  const c = parsed.data;
  return {
    id: `vk:${c.owner_id}_c${c.id}`,
    revision: contentRevision(c.text),
    platform: 'vk',
    kind: 'comment',
    sourceId: ctx.sourceId,
    community: { id: String(c.owner_id) },
    author: vkAuthor(c.from_id),
    parentId: `vk:${c.owner_id}_${c.post_id}`,
    text: c.text,
    createdAt: unixToIso(c.date),
    // The ?reply= form is [observed] in the platform reference, not documented.
    permalink: `https://vk.com/wall${c.owner_id}_${c.post_id}?reply=${c.id}`,
    engagement: c.likes ? { likes: c.likes.count } : {},
    ...(ctx.territory === undefined ? {} : { territory: ctx.territory }),
    capturedAt: ctx.capturedAt,
    raw,
  };
}
