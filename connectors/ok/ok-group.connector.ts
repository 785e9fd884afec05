import { z } from 'zod';
import { OtklikError, isOtklikError } from '../../src/core/errors.js';
import { tombstone } from '../../src/core/post.js';
import { contentRevision } from '../../src/core/revision.js';
import type { Connector, ConnectorEnvironment, ConnectorFactory, PollItem, PollOptions, PollResult, ReplyReceipt, ReplyTarget, SourceDefinition } from '../../src/connector/connector.js';
import { collect } from '../../src/connector/normalize-context.js';
import { reconcileWatched } from '../../src/connector/watchlist.js';
import { normalizeOkComment, normalizeOkTopic, okCommentTimeMs } from './normalize.js';
import { OK_GONE_CODES, OkApi, okTransportOptions } from './ok-api.js';

export const okGroupOptionsSchema = z
  .object({
    groupId: z.string().regex(/^\d+$/, 'OK group ids are digits (kept as a string)'),
    ...okTransportOptions,
    /**
     * How topics are listed. `mediatopic.getTopics` is used by public integrations but not found in
     * OK's method documentation (⚠️ UNCONFIRMED); `group.getStatTopics` is documented but needs the
     * token's user to administer the group, and lists only topics that have statistics.
     */
    listMethod: z.enum(['mediatopic.getTopics', 'group.getStatTopics']).default('mediatopic.getTopics'),
    pageSize: z.number().int().min(5).max(100).default(50),
    /** A topic older than the newest taken minus this margin, already seen, ends the listing. */
    overlapMs: z.number().int().min(0).max(7 * 86_400_000).default(3_600_000),
    bootstrapBacklog: z.number().int().min(0).max(500).default(50),
    comments: z.boolean().default(true),
    trackTopics: z.number().int().min(0).max(200).default(30),
  })
  .strict();
export type OkGroupOptions = z.infer<typeof okGroupOptionsSchema>;

const trackedSchema = z.object({
  id: z.string(),
  comments: z.number().int().min(0),
  /** The newest comment ids taken: paging back from the newest stops at one of them. */
  knownComments: z.array(z.string()).max(50),
  /** Creation time (ms) of the newest comment taken: anything older is not new. */
  lastCommentMs: z.number().int().min(0).default(0),
  misses: z.number().int().min(0),
  revision: z.string(),
  /** The topic as last seen (minimal), to keep its content when it vanishes. */
  last: z.unknown(),
});
type Tracked = z.infer<typeof trackedSchema>;

const cursorSchema = z.object({
  maxCreatedMs: z.number().int().min(0),
  /** Topic ids taken within the overlap margin (a bounded seen-set, as the reference advises). */
  seen: z.array(z.string()).default([]),
  tracked: z.array(trackedSchema).default([]),
});
export type OkGroupCursor = z.infer<typeof cursorSchema>;

const okId = z.union([z.string(), z.number()]).transform(String);
const topic = z.object({ id: okId, created_ms: z.number().int(), discussion_summary: z.object({ comments_count: z.number().int() }).passthrough().optional() }).passthrough();
type Topic = z.infer<typeof topic>;
// Paging keys of mediatopic.getTopics (anchor, has_more) are assumed (⚠️ UNCONFIRMED in the reference).
const topicsPage = z.object({ media_topics: z.array(topic).default([]), anchor: z.string().optional(), has_more: z.boolean().optional() }).passthrough();
const statPage = z.object({ topics: z.array(z.object({ id: okId }).passthrough()).default([]), anchor: z.string().optional(), has_more: z.boolean().optional() }).passthrough();
const byIds = z.object({ media_topics: z.array(topic).default([]) }).passthrough();
const comment = z.object({ id: z.string(), date: z.string().optional(), date_ms: z.number().int().optional(), text: z.string().optional() }).passthrough();
const commentsPage = z.object({ comments: z.array(comment).default([]), anchor: z.string().optional(), has_more: z.boolean().optional() }).passthrough();

const MAX_PAGES = 10;
const MAX_COMMENT_PAGES = 10;
/** `mediatopic.getByIds` `media_limit`: "Разрешенное значение в пределе 1..3" (OK's method docs). */
const MEDIA_LIMIT = 3;

function mediaBlocks(t: Topic): number {
  const media = (t as { media?: unknown }).media;
  return Array.isArray(media) ? media.length : 0;
}

/**
 * An OK group: topics listed newest first with opaque anchors, a bounded seen-set plus the newest
 * creation time deciding where to stop (ids are strings, times milliseconds). The newest topics are
 * watched: re-read with `mediatopic.getByIds` for edits (OK has no edit marker: the text is compared)
 * and deletion (two misses make a tombstone), and their new comments read from the newest backwards
 * until a known comment appears — the paging the reference calls always correct.
 */
export class OkGroupConnector implements Connector<OkGroupCursor> {
  readonly type = 'ok-group';
  readonly platform = 'ok' as const;
  readonly coverage;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly api: OkApi;

  constructor(
    private readonly source: SourceDefinition & { options: OkGroupOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
    this.api = new OkApi(source.options, env, source.id);
    this.coverage = source.options.comments ? (['groups', 'comments'] as const) : (['groups'] as const);
  }

  initialCursor(): OkGroupCursor {
    return { maxCreatedMs: 0, seen: [], tracked: [] };
  }

  async poll(cursor: OkGroupCursor, options: PollOptions): Promise<PollResult<OkGroupCursor>> {
    const o = this.source.options;
    const first = cursor.maxCreatedMs === 0;
    const seen = new Set(cursor.seen);
    const listed = await this.list(cursor, first);
    // Older than the margin and not in the seen-set means taken long ago, not new.
    const floor = cursor.maxCreatedMs - o.overlapMs;
    let fresh = listed.filter((t) => !seen.has(t.id) && (first || t.created_ms >= floor)).sort((a, b) => a.created_ms - b.created_ms);
    if (first && fresh.length > o.bootstrapBacklog) fresh = fresh.slice(fresh.length - o.bootstrapBacklog);
    const take = fresh.slice(0, Math.max(1, options.limit));
    const more = take.length < fresh.length;
    const capturedAt = this.env.now().toISOString();
    const items: PollItem[] = [];

    // Watched topics: edits by text, deletion by absence (two reads in a row), comment counts.
    const onList = new Map(listed.map((t) => [t.id, t]));
    const watched = cursor.tracked;
    const current = new Map<string, Topic>();
    for (const t of watched) {
      const l = onList.get(t.id);
      if (l) current.set(t.id, l);
    }
    for (const [id, t] of await this.recheck(watched.filter((t) => !onList.has(t.id)).map((t) => t.id))) current.set(id, t);
    const next = reconcileWatched(
      watched,
      (t) => current.get(t.id),
      (t, now) => {
        const post = collect(items, `topic-${t.id}`, now, () => normalizeOkTopic(now, this.ctx(capturedAt)), (p) => p.revision !== t.revision);
        return { ...t, revision: post?.revision ?? t.revision, last: now };
      },
      (t) => void collect(items, `topic-${t.id}`, t.last, () => tombstone(normalizeOkTopic(t.last, this.ctx(capturedAt)), capturedAt, capturedAt)),
    );
    for (const t of take) {
      const post = collect(items, `topic-${t.id}`, t, () => normalizeOkTopic(t, this.ctx(capturedAt)));
      next.push({ id: t.id, comments: 0, knownComments: [], lastCommentMs: 0, misses: 0, revision: post?.revision ?? contentRevision(''), last: t });
    }
    const byNewest = (a: Tracked, b: Tracked) => ((b.last as Topic).created_ms ?? 0) - ((a.last as Topic).created_ms ?? 0);
    const keep = next.sort(byNewest).slice(0, o.trackTopics);

    if (o.comments) {
      for (const t of keep) {
        const count = (t.last as Topic).discussion_summary?.comments_count ?? t.comments;
        if (count === t.comments) continue;
        const read = await this.readComments(t, capturedAt, items);
        if (read) Object.assign(t, { comments: count, ...read });
      }
    }

    const maxCreatedMs = Math.max(cursor.maxCreatedMs, ...take.map((t) => t.created_ms));
    const nextFloor = maxCreatedMs - o.overlapMs;
    const nextSeen = [...new Set([...cursor.seen, ...take.map((t) => t.id)])].filter((id) => (onList.get(id)?.created_ms ?? nextFloor) >= nextFloor);
    return { items, nextCursor: { maxCreatedMs, seen: nextSeen.slice(-2000), tracked: keep }, more };
  }

  /**
   * Publishes an answer as the group's administrator (`as_admin`; the method and its permission
   * are ⚠️ UNCONFIRMED for third-party apps). OK has no idempotency key: before posting, the newest
   * comments are read, and the same text already there from a retried attempt counts as published.
   */
  async reply(target: ReplyTarget, text: string): Promise<ReplyReceipt> {
    const m = /^ok:(\d+):(c?)(.+)$/.exec(target.postId);
    if (!m) throw new OtklikError('PLATFORM_ERROR', `cannot answer ${target.postId} on OK: not an OK topic or comment id`);
    const isComment = m[2] === 'c';
    // Topic ids are `ok:{gid}:{topic}`, comment ids `ok:{topic}:c{comment}` (platform reference 2.7).
    const topicId = isComment ? (m[1] as string) : (m[3] as string);
    const groupId = isComment ? this.source.options.groupId : (m[1] as string);
    const already = await this.newestComments(topicId);
    const same = already.find((c) => c.text === text);
    if (same) return this.receipt(groupId, topicId, same.id, okCommentTimeMs(same));
    const res = await this.api.call('discussions.addDiscussionComment', {
      entityId: topicId,
      entityType: 'GROUP_TOPIC',
      comment: text,
      as_admin: true,
      ...(isComment ? { reply_to_comment_id: m[3] as string } : {}),
    });
    // The response shape is not documented: an id string, or an object carrying it.
    const id = typeof res === 'string' ? res : this.api.parse(z.object({ comment_id: okId.optional(), id: okId.optional() }).passthrough(), res, 'discussions.addDiscussionComment');
    const commentId = typeof id === 'string' ? id : (id.comment_id ?? id.id ?? 'unknown');
    return this.receipt(groupId, topicId, commentId, undefined);
  }

  private receipt(groupId: string, topicId: string, commentId: string, atMs: number | undefined): ReplyReceipt {
    return {
      publishedAt: atMs ? new Date(atMs).toISOString() : this.env.now().toISOString(),
      platformId: `ok:${topicId}:c${commentId}`,
      url: `https://ok.ru/group/${groupId}/topic/${topicId}`,
    };
  }

  private ctx(capturedAt: string) {
    return { sourceId: this.sourceId, capturedAt, ...(this.source.territory ? { territory: this.source.territory } : {}) };
  }


  /** The newest topics, page by page, until one older than the newest taken minus the overlap margin. */
  private async list(cursor: OkGroupCursor, first: boolean): Promise<Topic[]> {
    const o = this.source.options;
    const out: Topic[] = [];
    let anchor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = { gid: o.groupId, count: o.pageSize, ...(anchor ? { anchor } : {}) };
      let topics: Topic[];
      let p: { anchor?: string | undefined; has_more?: boolean | undefined };
      if (o.listMethod === 'mediatopic.getTopics') {
        // Undocumented method: `direction` is what the integrations that use it send (reference 2.4).
        const r = this.api.parse(topicsPage, await this.api.call('mediatopic.getTopics', { ...params, ...(anchor ? { direction: 'FORWARD' } : {}), fields: 'media_topic.*' }), 'mediatopic.getTopics');
        topics = await this.whole(r.media_topics);
        p = r;
      } else {
        // group.getStatTopics documents gid, start_time, end_time, anchor, count, fields: no direction.
        const r = this.api.parse(statPage, await this.api.call('group.getStatTopics', { ...params, fields: 'ID,CREATED_MS,COMMENTS' }), 'group.getStatTopics');
        topics = [...(await this.recheck(r.topics.map((t) => t.id))).values()];
        p = r;
      }
      out.push(...topics);
      const floor = cursor.maxCreatedMs - o.overlapMs;
      if (first && out.length >= o.bootstrapBacklog) break;
      // Past the margin everything was taken before: stop listing.
      if (!first && topics.some((t) => t.created_ms < floor)) break;
      if (!p.anchor || p.has_more === false || topics.length === 0) break;
      anchor = p.anchor;
    }
    return out;
  }

  /**
   * `mediatopic.getByIds`; a gone topic is absent. Several ids need `media_limit`, at most 3 blocks
   * (OK's docs), so text in a fourth block would be lost: a topic that came back with 3 blocks is
   * read again alone, where no limit applies.
   */
  private async recheck(ids: readonly string[]): Promise<Map<string, Topic>> {
    const out = new Map<string, Topic>();
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      try {
        const params: Record<string, string | number> = { topic_ids: chunk.join(','), fields: 'media_topic.*', ...(chunk.length > 1 ? { media_limit: MEDIA_LIMIT } : {}) };
        const r = this.api.parse(byIds, await this.api.call('mediatopic.getByIds', params), 'mediatopic.getByIds');
        for (const t of chunk.length > 1 ? await this.whole(r.media_topics) : r.media_topics) out.set(t.id, t);
      } catch (e) {
        // A single gone topic can fail the call (106/300): the topics then count as missing this time.
        if (!(isOtklikError(e) && OK_GONE_CODES.has(Number((e.details as { platformCode?: number }).platformCode)))) throw e;
      }
    }
    return out;
  }

  /** Topics whose media may have been cut at the limit, read again one by one with every block. */
  private async whole(topics: readonly Topic[]): Promise<Topic[]> {
    const out: Topic[] = [];
    for (const t of topics) {
      if (mediaBlocks(t) < MEDIA_LIMIT) {
        out.push(t);
        continue;
      }
      const full = await this.recheck([t.id]);
      out.push(full.get(t.id) ?? t);
    }
    return out;
  }

  private async newestComments(topicId: string, anchor = 'LAST'): Promise<z.infer<typeof comment>[]> {
    const r = this.api.parse(
      commentsPage,
      await this.api.call('discussions.getComments', { discussionId: topicId, discussionType: 'GROUP_TOPIC', anchor, direction: 'BACKWARD', count: 100, fields: 'comment.*', mark_as_read: false }),
      'discussions.getComments',
    );
    return r.comments;
  }

  /**
   * New comments of one topic: from the newest (`anchor=LAST`) backwards, page by page, until a
   * comment already taken appears. Returns the newest known ids, or undefined if the topic is gone.
   */
  private async readComments(t: Tracked, capturedAt: string, items: PollItem[]): Promise<{ knownComments: string[]; lastCommentMs: number } | undefined> {
    const known = new Set(t.knownComments);
    const found: unknown[] = [];
    let anchor = 'LAST';
    try {
      for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
        const r = this.api.parse(
          commentsPage,
          await this.api.call('discussions.getComments', { discussionId: t.id, discussionType: 'GROUP_TOPIC', anchor, direction: 'BACKWARD', count: 100, fields: 'comment.*', mark_as_read: false }),
          'discussions.getComments',
        );
        let reachedKnown = false;
        for (const c of r.comments) {
          // Ids are opaque: a known id, or a time before the newest taken, is where the news ends.
          // OK's times are to the second: only a strictly older one is past the news.
          const at = okCommentTimeMs(c);
          if (known.has(c.id) || (at !== undefined && at < t.lastCommentMs)) reachedKnown = true;
          else found.push(c);
        }
        if (reachedKnown || !r.has_more || !r.anchor) break;
        anchor = r.anchor;
      }
    } catch (e) {
      if (isOtklikError(e) && OK_GONE_CODES.has(Number((e.details as { platformCode?: number }).platformCode))) return undefined;
      throw e;
    }
    const fresh = (found as z.infer<typeof comment>[]).filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i).sort((a, b) => (okCommentTimeMs(a) ?? 0) - (okCommentTimeMs(b) ?? 0));
    const groupId = this.source.options.groupId;
    for (const c of fresh) collect(items, `comment-${t.id}-${c.id}`, c, () => normalizeOkComment(c, { ...this.ctx(capturedAt), groupId, topicId: t.id }));
    return { knownComments: [...fresh.map((c) => c.id).reverse(), ...t.knownComments].slice(0, 50), lastCommentMs: Math.max(t.lastCommentMs, ...fresh.map((c) => okCommentTimeMs(c) ?? 0)) };
  }
}

export const okGroupConnectorFactory: ConnectorFactory<OkGroupOptions> = {
  type: 'ok-group',
  optionsSchema: okGroupOptionsSchema,
  create: (source, env) => new OkGroupConnector(source, env),
};
