import { z } from 'zod';
import { OtklikError } from '../../src/core/errors.js';
import { tombstone } from '../../src/core/post.js';
import type { Connector, ConnectorEnvironment, ConnectorFactory, PollItem, PollOptions, PollResult, ReplyReceipt, ReplyTarget, SourceDefinition } from '../../src/connector/connector.js';
import { collect } from '../../src/connector/normalize-context.js';
import { reconcileWatched } from '../../src/connector/watchlist.js';
import { normalizeVkComment, normalizeVkPost } from './normalize.js';
import { VkApi, vkTransportOptions, type VkCall } from './vk-api.js';

export const vkWallOptionsSchema = z
  .object({
    /** The wall: a community is negative (-123456). */
    ownerId: z.number().int().refine((v) => v !== 0, 'owner id cannot be 0'),
    ...vkTransportOptions,
    pageSize: z.number().int().min(10).max(100).default(100),
    /** Pages overlap by this many posts, because offsets shift when posts appear between calls. */
    overlap: z.number().int().min(0).max(50).default(10),
    /** On the very first poll, at most this many of the newest posts are taken (no deep backfill). */
    bootstrapBacklog: z.number().int().min(0).max(1000).default(100),
    /** Read comments (and their threads) under the newest posts. */
    comments: z.boolean().default(true),
    /** How many of the newest posts are watched for new comments, edits and deletion. */
    trackPosts: z.number().int().min(0).max(200).default(30),
  })
  .strict();

export type VkWallOptions = z.infer<typeof vkWallOptionsSchema>;

/** The few fields of a watched post needed to re-check it and, if it vanishes, to keep its last content. */
const trackedSchema = z.object({
  id: z.number().int(),
  /** Comment count when comments were last read. */
  comments: z.number().int().min(0),
  /** Highest comment id taken under this post. */
  lastCommentId: z.number().int().min(0),
  /** Consecutive reads in which the post was missing (see reconcileWatched). */
  misses: z.number().int().min(0),
  last: z.object({ from_id: z.number().int().optional(), date: z.number().int(), text: z.string(), edited: z.number().int().optional() }),
});
type Tracked = z.infer<typeof trackedSchema>;

const cursorSchema = z.object({
  /** The highest post id taken so far (pinned posts excepted when deciding where to stop). */
  maxSeenId: z.number().int().min(0),
  /** Unix seconds of the last poll: posts edited after it come back as new revisions. */
  checkedAt: z.number().int().min(0),
  tracked: z.array(trackedSchema).default([]),
});
export type VkWallCursor = z.infer<typeof cursorSchema>;

const wallItem = z
  .object({
    id: z.number().int(),
    is_pinned: z.union([z.literal(0), z.literal(1)]).optional(),
    edited: z.number().int().optional(),
    from_id: z.number().int().optional(),
    date: z.number().int(),
    text: z.string().default(''),
    comments: z.object({ count: z.number().int() }).passthrough().optional(),
  })
  .passthrough();
type WallItem = z.infer<typeof wallItem>;
const wallPage = z.object({ count: z.number().int(), items: z.array(wallItem) }).passthrough();
const byIdPage = z.object({ items: z.array(wallItem) }).passthrough();
const commentItem = z
  .object({
    id: z.number().int(),
    deleted: z.boolean().optional(),
    thread: z.object({ count: z.number().int(), items: z.array(z.unknown()).default([]) }).passthrough().optional(),
  })
  .passthrough();
const commentsPage = z.object({ count: z.number().int(), items: z.array(commentItem) }).passthrough();

const MAX_PAGES = 20;
const COMMENT_PAGE = 100;

/**
 * A VK community (or user) wall through `wall.get`, newest first: new posts by id (a pinned post is
 * listed first even when old, so it never decides where to stop), overlapping pages de-duplicated by
 * id, emitted oldest first; posts edited since the last poll come back as new revisions. The newest
 * posts are watched: their new comments and thread replies are read in `execute` batches, and a post
 * missing from two consecutive reads (`wall.getById`) becomes a tombstone with its last content.
 */
export class VkWallConnector implements Connector<VkWallCursor> {
  readonly type = 'vk-wall';
  readonly platform = 'vk' as const;
  readonly coverage;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly api: VkApi;

  constructor(
    private readonly source: SourceDefinition & { options: VkWallOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
    this.coverage = source.options.comments ? (['walls', 'comments'] as const) : (['walls'] as const);
    this.api = new VkApi(source.options, env, source.id);
  }

  initialCursor(): VkWallCursor {
    return { maxSeenId: 0, checkedAt: 0, tracked: [] };
  }

  async poll(cursor: VkWallCursor, options: PollOptions): Promise<PollResult<VkWallCursor>> {
    const token = this.api.token();
    const o = this.source.options;
    const first = cursor.maxSeenId === 0;
    const fresh = new Map<number, WallItem>();
    const onPages = new Map<number, WallItem>();
    for (let offset = 0, pages = 0; pages < MAX_PAGES; pages++, offset += o.pageSize - o.overlap) {
      const page = this.api.parse(wallPage, await this.api.call('wall.get', { owner_id: o.ownerId, offset, count: o.pageSize }, token), 'wall.get');
      for (const item of page.items) {
        onPages.set(item.id, item);
        if (item.id > cursor.maxSeenId) fresh.set(item.id, item);
      }
      const unpinned = page.items.filter((i) => i.is_pinned !== 1);
      const oldest = unpinned[unpinned.length - 1];
      if (first && fresh.size >= o.bootstrapBacklog) break;
      if (page.items.length < o.pageSize || !oldest || oldest.id <= cursor.maxSeenId) break;
    }
    let newest = [...fresh.values()].sort((a, b) => a.id - b.id);
    if (first && newest.length > o.bootstrapBacklog) newest = newest.slice(newest.length - o.bootstrapBacklog);
    const take = newest.slice(0, Math.max(1, options.limit));
    const more = take.length < newest.length;

    const capturedAt = this.env.now().toISOString();
    const items: PollItem[] = [];
    const emitPost = (raw: unknown, id: number) => collect(items, `post-${id}`, raw, () => normalizeVkPost(raw, this.ctx(capturedAt)));

    // Watched posts: re-read the ones the pages did not show; edits and deletions come from here.
    const watched = new Map(cursor.tracked.map((t) => [t.id, t]));
    const now = await this.recheck([...watched.keys()].filter((id) => !onPages.has(id)), token);
    const current = new Map<number, WallItem>([...onPages].filter(([id]) => watched.has(id)));
    for (const [id, item] of now) current.set(id, item);
    const nextTracked = reconcileWatched(
      [...watched.values()],
      (t) => current.get(t.id),
      (t, item) => {
        if (item.edited !== undefined && item.edited > cursor.checkedAt && item.text !== t.last.text) emitPost(item, item.id);
        return { ...t, last: snapshot(item) };
      },
      (t) => {
        const last = { ...t.last, id: t.id, owner_id: o.ownerId };
        collect(items, `post-${t.id}`, last, () => tombstone(normalizeVkPost(last, this.ctx(capturedAt)), capturedAt, capturedAt));
      },
    );
    for (const raw of take) emitPost(raw, raw.id);
    // A post taken now has had none of its comments read yet.
    for (const raw of take) nextTracked.push({ id: raw.id, comments: 0, lastCommentId: 0, misses: 0, last: snapshot(raw) });

    // Comments under watched posts whose count moved.
    nextTracked.sort((a, b) => b.id - a.id);
    const keep = nextTracked.slice(0, o.trackPosts);
    if (o.comments) {
      const counts = new Map<number, number>();
      for (const [id, item] of [...current, ...take.map((t) => [t.id, t] as const)]) counts.set(id, item.comments?.count ?? 0);
      const due = keep.filter((t) => (counts.get(t.id) ?? t.comments) !== t.comments);
      const read = await this.readComments(due, token, capturedAt, items);
      for (const t of keep) {
        const r = read.get(t.id);
        if (r) Object.assign(t, { comments: counts.get(t.id) ?? t.comments, lastCommentId: r });
      }
    }
    const maxSeenId = Math.max(cursor.maxSeenId, ...take.map((i) => i.id));
    return { items, nextCursor: { maxSeenId, checkedAt: Math.floor(this.env.now().getTime() / 1000), tracked: keep }, more };
  }

  /** Publishes an answer as the community (`from_group`) with a `guid`, so a retried answer posts once. */
  async reply(target: ReplyTarget, text: string): Promise<ReplyReceipt> {
    const m = /^vk:(-?\d+)_(c?)(\d+)$/.exec(target.postId);
    if (!m) throw new OtklikError('PLATFORM_ERROR', `cannot answer ${target.postId} on VK: not a VK post or comment id`);
    const ownerId = Number(m[1]);
    if (ownerId >= 0) throw new OtklikError('PLATFORM_ERROR', `cannot answer ${target.postId} as a community: the wall is not a community's`);
    if (!target.credentialsRef) throw new OtklikError('PLATFORM_AUTH_FAILED', 'answering on VK needs a community token: set the body\'s replyCredentials');
    const token = this.api.token(target.credentialsRef);
    const isComment = m[2] === 'c';
    const postId = isComment ? await this.commentPostId(ownerId, Number(m[3])) : Number(m[3]);
    const params: Record<string, string | number> = {
      owner_id: ownerId,
      post_id: postId,
      from_group: -ownerId,
      message: text,
      // VK's idempotency key: "unique identifier to avoid repeated comments" (platform reference 1.4).
      guid: target.idempotencyKey.slice(0, 64),
      ...(isComment ? { reply_to_comment: Number(m[3]) } : {}),
    };
    const res = this.api.parse(z.object({ comment_id: z.number().int() }).passthrough(), await this.api.call('wall.createComment', params, token), 'wall.createComment');
    return {
      publishedAt: this.env.now().toISOString(),
      platformId: `vk:${ownerId}_c${res.comment_id}`,
      url: `https://vk.com/wall${ownerId}_${postId}?reply=${res.comment_id}`,
    };
  }

  /** The post a captured comment sits under, from its raw payload id scheme: asked of VK only when needed. */
  private async commentPostId(ownerId: number, commentId: number): Promise<number> {
    const r = this.api.parse(z.object({ items: z.array(z.object({ post_id: z.number().int() }).passthrough()).min(1) }).passthrough(), await this.api.call('wall.getComment', { owner_id: ownerId, comment_id: commentId }), 'wall.getComment');
    return (r.items[0] as { post_id: number }).post_id;
  }

  private ctx(capturedAt: string) {
    return { sourceId: this.sourceId, capturedAt, ...(this.source.territory ? { territory: this.source.territory } : {}) };
  }


  /** `wall.getById` for watched posts the pages did not show; a deleted post is simply absent. */
  private async recheck(ids: readonly number[], token: string): Promise<Map<number, WallItem>> {
    const out = new Map<number, WallItem>();
    const o = this.source.options;
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const res = this.api.parse(byIdPage, await this.api.call('wall.getById', { posts: chunk.map((id) => `${o.ownerId}_${id}`).join(',') }, token), 'wall.getById');
      for (const item of res.items) out.set(item.id, item);
    }
    return out;
  }

  /**
   * New comments under `due` posts, in `execute` batches of 25 calls: top-level comments from the
   * last one taken (`start_comment_id`, ascending, full texts with `preview_length=0`, ten thread
   * replies inline), then each thread that has more replies than were inlined. Returns, per post,
   * the highest comment id now taken; a post whose comments cannot be read keeps its old state.
   */
  private async readComments(due: readonly Tracked[], token: string, capturedAt: string, items: PollItem[]): Promise<Map<number, number>> {
    const o = this.source.options;
    const out = new Map<number, number>();
    const base = { owner_id: o.ownerId, sort: 'asc', count: COMMENT_PAGE, preview_length: 0, need_likes: 1 };
    const topCalls: VkCall[] = due.map((t) => ({ method: 'wall.getComments', params: { ...base, post_id: t.id, thread_items_count: 10, ...(t.lastCommentId > 0 ? { start_comment_id: t.lastCommentId } : {}) } }));
    const tops = await this.batch(topCalls, token);
    const threadCalls: VkCall[] = [];
    const found = new Map<number, unknown[]>();
    tops.forEach((r, i) => {
      const t = due[i] as Tracked;
      if (!r) return;
      const page = commentsPage.safeParse(r);
      if (!page.success) return;
      const list: unknown[] = found.get(t.id) ?? [];
      for (const c of page.data.items) {
        list.push(c);
        const inline = c.thread?.items ?? [];
        list.push(...inline);
        if ((c.thread?.count ?? 0) > inline.length) threadCalls.push({ method: 'wall.getComments', params: { ...base, post_id: t.id, comment_id: c.id } });
      }
      found.set(t.id, list);
    });
    const threads = await this.batch(threadCalls, token);
    threads.forEach((r, i) => {
      const postId = Number((threadCalls[i] as VkCall).params.post_id);
      const page = commentsPage.safeParse(r);
      if (page.success) found.get(postId)?.push(...page.data.items);
    });
    for (const t of due) {
      const list = found.get(t.id);
      if (!list) continue;
      let max = t.lastCommentId;
      const seen = new Set<number>();
      for (const raw of list) {
        const c = commentItem.safeParse(raw);
        const id = c.success ? c.data.id : -1;
        if (id <= t.lastCommentId || seen.has(id)) continue;
        seen.add(id);
        max = Math.max(max, id);
        // A deleted placeholder never seen before has nothing to keep.
        if (c.success && c.data.deleted) continue;
        collect(items, `comment-${t.id}-${id}`, raw, () => normalizeVkComment(raw, this.ctx(capturedAt)));
      }
      out.set(t.id, max);
    }
    return out;
  }

  /** Runs calls 25 to an `execute`; a call that failed inside is undefined (its post is read next time). */
  private async batch(calls: readonly VkCall[], token: string): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let i = 0; i < calls.length; i += 25) {
      for (const r of await this.api.execute(calls.slice(i, i + 25), token)) out.push(r.ok ? r.value : undefined);
    }
    return out;
  }
}

function snapshot(item: WallItem): Tracked['last'] {
  return { ...(item.from_id === undefined ? {} : { from_id: item.from_id }), date: item.date, text: item.text, ...(item.edited === undefined ? {} : { edited: item.edited }) };
}

export const vkWallConnectorFactory: ConnectorFactory<VkWallOptions> = {
  type: 'vk-wall',
  optionsSchema: vkWallOptionsSchema,
  create: (source, env) => new VkWallConnector(source, env),
};
