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
/** A comment thread with replies: [top-level comment id, replies VK counted when last read, highest reply id taken]. */
const threadSchema = z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]);
type ThreadState = z.infer<typeof threadSchema>;

const trackedSchema = z.object({
  id: z.number().int(),
  /** Comment count (replies included) when comments were last read in full. */
  comments: z.number().int().min(0),
  /** Highest top-level comment id taken under this post. */
  lastCommentId: z.number().int().min(0),
  /**
   * Threads that have replies, so a new reply under an older comment is found: VK lists replies
   * only inside their thread, and comment ids alone cannot say which thread grew.
   */
  threads: z.array(threadSchema).default([]),
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
type CommentItem = z.infer<typeof commentItem>;
const commentsPage = z.object({ count: z.number().int(), items: z.array(commentItem) }).passthrough();

const MAX_PAGES = 20;
const COMMENT_PAGE = 100;
/** Pages of one comment level read in one poll (1,000 comments); the rest waits for the next poll. */
const MAX_COMMENT_PAGES = 10;
/** Threads remembered per post: the newest; an older thread that grows is read again whole. */
const MAX_THREADS = 200;

/**
 * A VK community (or user) wall through `wall.get`, newest first: new posts by id (a pinned post is
 * listed first even when old, so it never decides where to stop), overlapping pages de-duplicated by
 * id, emitted oldest first; posts edited since the last poll come back as new revisions. The newest
 * posts are watched: their new comments and thread replies are read (in `execute` batches with a user
 * token, one call each with a service token), and a post
 * missing from two consecutive reads (`wall.getById`) becomes a tombstone with its last content.
 */
export class VkWallConnector implements Connector<VkWallCursor> {
  readonly type = 'vk-wall';
  readonly platform = 'vk' as const;
  readonly coverage;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly api: VkApi;
  /** Community of each reply credential, asked of VK once. */
  private readonly communities = new Map<string, number>();

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
    for (const raw of take) nextTracked.push({ id: raw.id, comments: 0, lastCommentId: 0, threads: [], misses: 0, last: snapshot(raw) });

    // Comments under watched posts whose count moved.
    nextTracked.sort((a, b) => b.id - a.id);
    const keep = nextTracked.slice(0, o.trackPosts);
    if (o.comments) {
      const counts = new Map<number, number>();
      for (const [id, item] of [...current, ...take.map((t) => [t.id, t] as const)]) counts.set(id, item.comments?.count ?? 0);
      const due = keep.filter((t) => (counts.get(t.id) ?? t.comments) !== t.comments);
      const read = await this.readComments(due, counts, token, capturedAt, items);
      for (const t of keep) {
        const r = read.get(t.id);
        if (r) Object.assign(t, { comments: counts.get(t.id) ?? t.comments, lastCommentId: r.lastCommentId, threads: r.threads });
      }
    }
    const maxSeenId = Math.max(cursor.maxSeenId, ...take.map((i) => i.id));
    return { items, nextCursor: { maxSeenId, checkedAt: Math.floor(this.env.now().getTime() / 1000), tracked: keep }, more };
  }

  /**
   * Publishes an answer as the community whose token the body's `replyCredentials` names, with a
   * `guid` so a retried answer posts once. A community token acts only on its own community's wall
   * (VK answers error 15 otherwise), so an answer elsewhere is refused here, saying why. A comment is
   * answered in its thread under its post; the post comes from the comment's link, because VK lets
   * only user tokens look a comment up (`wall.getComment`, schema `access_token_type: ["user"]`).
   */
  async reply(target: ReplyTarget, text: string): Promise<ReplyReceipt> {
    const m = /^vk:(-?\d+)_(c?)(\d+)$/.exec(target.postId);
    if (!m) throw new OtklikError('PLATFORM_ERROR', `cannot answer ${target.postId} on VK: not a VK post or comment id`);
    const ownerId = Number(m[1]);
    if (!target.credentialsRef) throw new OtklikError('PLATFORM_AUTH_FAILED', "answering on VK needs a community token: set the body's replyCredentials");
    const isComment = m[2] === 'c';
    const postId = isComment ? commentPostId(target, ownerId) : Number(m[3]);
    const token = this.api.token(target.credentialsRef);
    const community = await this.communityOf(target.credentialsRef, token);
    if (ownerId !== -community) {
      const wall = ownerId < 0 ? `community ${-ownerId}` : `user ${ownerId}`;
      throw new OtklikError('REPLY_NOT_POSSIBLE', `cannot answer ${target.postId}: ${target.credentialsRef} is community ${community}'s token, and a community token answers only on its own wall (this is ${wall}'s)`, {
        details: { platform: 'vk', reason: 'foreign-wall', community, wall: ownerId },
      });
    }
    const params: Record<string, string | number> = {
      owner_id: ownerId,
      post_id: postId,
      from_group: community,
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

  /**
   * The community a token acts for: `groups.getById` without ids answers a community token with its
   * own community; VK names none for a user or service token, which cannot answer as a community.
   */
  private async communityOf(ref: string, token: string): Promise<number> {
    const known = this.communities.get(ref);
    if (known !== undefined) return known;
    let res: unknown;
    try {
      res = await this.api.call('groups.getById', {}, token);
    } catch (e) {
      if (e instanceof OtklikError && e.details.platformCode === 100) {
        throw new OtklikError('PLATFORM_AUTH_FAILED', `answering on VK needs a community token: ${ref} is not one (VK names no community for it)`, { cause: e, details: { platform: 'vk', platformCode: 100 } });
      }
      throw e;
    }
    const page = this.api.parse(z.object({ groups: z.array(z.object({ id: z.number().int().positive() }).passthrough()).length(1) }).passthrough(), res, 'groups.getById');
    const id = (page.groups[0] as { id: number }).id;
    this.communities.set(ref, id);
    return id;
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
   * New comments and replies under `due` posts (their comment count moved). Top-level comments are
   * read from the last one taken, ascending, full texts (`preview_length=0`), ten replies of each
   * thread inline. A thread that grew beyond what is inline is read from its last reply taken; when
   * the new top-level comments do not account for the count's growth, a reply went under an older
   * comment, so every top-level comment is listed again to see which thread grew. A post whose reads
   * did not all succeed emits nothing and keeps its state: it is read again next poll.
   */
  private async readComments(due: readonly Tracked[], counts: ReadonlyMap<number, number>, token: string, capturedAt: string, items: PollItem[]): Promise<Map<number, { lastCommentId: number; threads: ThreadState[] }>> {
    const o = this.source.options;
    const base = { owner_id: o.ownerId, sort: 'asc', count: COMMENT_PAGE, preview_length: 0, need_likes: 1 };
    const topLevel = (postId: number, from: number): VkCall => ({ method: 'wall.getComments', params: { ...base, post_id: postId, thread_items_count: 10, ...(from > 0 ? { start_comment_id: from } : {}) } });
    const scan = (postId: number, offset: number): VkCall => ({ method: 'wall.getComments', params: { ...base, post_id: postId, thread_items_count: 10, offset } });
    const thread = (postId: number, top: number, from: number): VkCall => ({ method: 'wall.getComments', params: { ...base, post_id: postId, comment_id: top, ...(from > 0 ? { start_comment_id: from } : {}) } });

    const reads = due.map((t) => new CommentRead(t, counts.get(t.id) ?? t.comments));
    // Round 1, one call per post (batched where the token allows): the new top-level comments.
    await this.round(token, reads.map((r) => [r, topLevel(r.t.id, r.t.lastCommentId)]), (r, page) => r.takeTopLevel(page));
    // More new top-level comments than a page: the next pages, a post at a time.
    for (const r of reads) {
      for (let pages = 1; r.ok && r.topLevelFull && pages < MAX_COMMENT_PAGES; pages++) await this.round(token, [[r, topLevel(r.t.id, r.lastTop)]], (x, page) => x.takeTopLevel(page));
      if (r.topLevelFull) r.incomplete();
    }
    // A reply under an older comment: list every top-level comment to find the thread that grew.
    for (const r of reads) {
      if (!r.ok || !r.unexplained()) continue;
      for (let offset = 0, pages = 0; r.ok && pages < MAX_COMMENT_PAGES; pages++, offset += COMMENT_PAGE) {
        let full = false;
        await this.round(token, [[r, scan(r.t.id, offset)]], (x, page) => {
          full = page.items.length >= COMMENT_PAGE;
          x.takeScanned(page);
        });
        if (!full) break;
      }
    }
    // Threads with more replies than were inline, from the last reply taken; long ones page on.
    let pending = reads.flatMap((r) => (r.ok ? r.threadsToRead().map((th) => [r, th] as const) : []));
    for (let pages = 0; pending.length > 0 && pages < MAX_COMMENT_PAGES; pages++) {
      const next: (readonly [CommentRead, { top: number; from: number }])[] = [];
      await this.round(token, 
        pending.map(([r, th]) => [r, thread(r.t.id, th.top, th.from)]),
        (r, page, i) => {
          const th = (pending[i] as readonly [CommentRead, { top: number; from: number }])[1];
          const last = r.takeReplies(th.top, page.items);
          if (page.items.length >= COMMENT_PAGE) next.push([r, { top: th.top, from: last }]);
        },
      );
      pending = next;
    }
    for (const [r] of pending) r.incomplete();

    const out = new Map<number, { lastCommentId: number; threads: ThreadState[] }>();
    for (const r of reads) {
      if (!r.ok) continue;
      for (const raw of r.found()) collect(items, `comment-${r.t.id}-${(raw as { id: number }).id}`, raw, () => normalizeVkComment(raw, this.ctx(capturedAt)));
      out.set(r.t.id, r.state());
    }
    return out;
  }

  /** Runs one round of reads; a read that failed marks its post incomplete, the others go on. */
  private async round(token: string, calls: readonly (readonly [CommentRead, VkCall])[], take: (r: CommentRead, page: z.infer<typeof commentsPage>, i: number) => void): Promise<void> {
    const live = calls.filter(([r]) => r.ok);
    const results = await this.api.run(live.map(([, c]) => c), token);
    results.forEach((res, i) => {
      const r = (live[i] as readonly [CommentRead, VkCall])[0];
      const page = res.ok ? commentsPage.safeParse(res.value) : undefined;
      if (!page?.success) r.incomplete();
      else take(r, page.data, calls.indexOf(live[i] as readonly [CommentRead, VkCall]));
    });
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

/**
 * One post's comment reading: what was found, which threads grew, whether every read succeeded.
 * Pure bookkeeping over the pages VK returned; the connector does the calls.
 */
class CommentRead {
  ok = true;
  /** Highest top-level comment id seen. */
  lastTop: number;
  /** The last top-level page was full: there may be more new comments after it. */
  topLevelFull = false;
  private readonly known: Map<number, { count: number; last: number }>;
  /** Threads as VK counts them now, by top-level comment id, for every top-level comment seen. */
  private readonly seen = new Map<number, number>();
  private readonly grown = new Map<number, { count: number; last: number }>();
  private readonly toRead = new Map<number, number>();
  private readonly taken = new Map<number, unknown>();
  private readonly unreadable: unknown[] = [];

  constructor(
    readonly t: Tracked,
    private readonly count: number,
  ) {
    this.lastTop = t.lastCommentId;
    this.known = new Map(t.threads.map(([id, n, last]) => [id, { count: n, last }]));
  }

  incomplete(): void {
    this.ok = false;
  }

  takeTopLevel(page: { items: CommentItem[] }): void {
    const before = this.lastTop;
    for (const c of page.items) this.takeTop(c);
    this.topLevelFull = page.items.length >= COMMENT_PAGE && this.lastTop > before;
  }

  takeScanned(page: { items: CommentItem[] }): void {
    for (const c of page.items) this.takeTop(c);
  }

  /** Whether the comments found so far fall short of how much the post's count grew. */
  unexplained(): boolean {
    let found = 0;
    for (const [id, replies] of this.seen) found += id > this.t.lastCommentId ? 1 + replies : Math.max(0, replies - (this.known.get(id)?.count ?? 0));
    return found < this.count - this.t.comments;
  }

  threadsToRead(): { top: number; from: number }[] {
    return [...this.toRead].map(([top, from]) => ({ top, from }));
  }

  /** Replies of one thread from a page; returns the highest id on it (where the next page starts). */
  takeReplies(top: number, items: readonly unknown[]): number {
    const state = this.grown.get(top);
    const after = this.known.get(top)?.last ?? 0;
    let last = 0;
    for (const raw of items) {
      const id = this.keep(raw, after);
      last = Math.max(last, id);
      if (state) state.last = Math.max(state.last, id);
    }
    return last;
  }

  /** New comments, oldest first, and the ones VK sent in a shape we cannot read (dead letters). */
  found(): unknown[] {
    return [...[...this.taken].sort(([a], [b]) => a - b).map(([, raw]) => raw), ...this.unreadable];
  }

  state(): { lastCommentId: number; threads: ThreadState[] } {
    const all = new Map(this.known);
    for (const [id, s] of this.grown) all.set(id, s);
    const threads = [...all]
      .filter(([, s]) => s.count > 0)
      .sort(([a], [b]) => b - a)
      .slice(0, MAX_THREADS)
      .map(([id, s]): ThreadState => [id, s.count, s.last]);
    return { lastCommentId: this.lastTop, threads };
  }

  private takeTop(c: CommentItem): void {
    this.lastTop = Math.max(this.lastTop, c.id);
    this.keep(c, this.t.lastCommentId);
    const replies = c.thread?.count ?? 0;
    this.seen.set(c.id, replies);
    const before = this.known.get(c.id) ?? { count: 0, last: 0 };
    if (replies <= before.count || this.grown.has(c.id)) return;
    const state = { count: replies, last: before.last };
    this.grown.set(c.id, state);
    const inline = c.thread?.items ?? [];
    for (const raw of inline) state.last = Math.max(state.last, this.keep(raw, before.last));
    // Replies beyond the inline ones: read the thread from the last one known (VK includes it).
    if (replies > inline.length) this.toRead.set(c.id, state.last);
  }

  /** Keeps a comment newer than `after` (deleted placeholders have nothing to keep); returns its id. */
  private keep(raw: unknown, after: number): number {
    const c = commentItem.safeParse(raw);
    if (!c.success) {
      this.unreadable.push(raw);
      return 0;
    }
    if (c.data.id > after && !c.data.deleted) this.taken.set(c.data.id, raw);
    return c.data.id;
  }
}

/**
 * The post a captured comment sits under, from its link (`wall<owner>_<post>?reply=<id>`, made by
 * normalizeVkComment): asking VK (`wall.getComment`) would need a user token.
 */
function commentPostId(target: ReplyTarget, ownerId: number): number {
  const m = /wall(-?\d+)_(\d+)\?reply=\d+/.exec(target.permalink ?? '');
  if (!m || Number(m[1]) !== ownerId) throw new OtklikError('REPLY_NOT_POSSIBLE', `cannot answer ${target.postId} on VK: the comment's link does not say which post it is under`, { details: { platform: 'vk', reason: 'comment-without-post' } });
  return Number(m[2]);
}
