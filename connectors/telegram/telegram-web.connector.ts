import { z } from 'zod';
import { OtklikError } from '../../src/core/errors.js';
import { tombstone, type Post } from '../../src/core/post.js';
import { contentRevision } from '../../src/core/revision.js';
import { withinBudget, type Connector, type ConnectorEnvironment, type ConnectorFactory, type PollItem, type PollOptions, type PollResult, type SourceDefinition } from '../../src/connector/connector.js';
import { requestPlatform } from '../../src/platform/http.js';
import { collect } from '../../src/connector/normalize-context.js';
import { reconcileWatched } from '../../src/connector/watchlist.js';
import { parsePreviewPage, type PreviewPost } from './web-preview.js';

export const telegramWebOptionsSchema = z
  .object({
    /** The public channel's username, without @. */
    channel: z.string().regex(/^[A-Za-z0-9_]{3,64}$/, 'a channel username: letters, digits, _'),
    /**
     * The channel's numeric id (-100…), if known: posts then get the same ids as through the Bot API
     * (`tg:{chat_id}:{message_id}`), so a channel read both ways is not counted twice.
     */
    chatId: z.number().int().optional(),
    baseUrl: z.string().url().default('https://t.me'),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    /** t.me throttles by IP: page requests a second across every preview source of the engine. */
    requestsPerSecond: z.number().int().min(1).max(10).default(1),
    maxPages: z.number().int().min(1).max(50).default(5),
    bootstrapBacklog: z.number().int().min(0).max(500).default(20),
    /** Newest posts re-read for edits and deletions (only those on the pages read are checked). */
    trackPosts: z.number().int().min(0).max(200).default(40),
  })
  .strict();
export type TelegramWebOptions = z.infer<typeof telegramWebOptionsSchema>;

const trackedSchema = z.object({ id: z.number().int(), revision: z.string(), misses: z.number().int().min(0), last: z.object({ text: z.string(), date: z.string(), views: z.number().int().optional() }) });
type Tracked = z.infer<typeof trackedSchema>;
const cursorSchema = z.object({ maxSeenId: z.number().int().min(0), tracked: z.array(trackedSchema).default([]) });
export type TelegramWebCursor = z.infer<typeof cursorSchema>;

/** All preview sources share one budget: t.me limits the engine's address, not a token. */
const IP_BUDGET_KEY = 't.me web preview';

/**
 * A public Telegram channel read through its web preview (`t.me/s/<channel>`), for channels whose
 * bot access the control centre does not have: the newest page, then older pages with
 * `?before=<id>` until the last post taken. No token, no comments, public channels only; edits and
 * deletions are seen only by re-reading, so posts still on the pages read are compared each time
 * and one missing from two reads in a row (while newer and older neighbours are there) is a tombstone.
 */
export class TelegramWebConnector implements Connector<TelegramWebCursor> {
  readonly type = 'telegram-web';
  readonly platform = 'tg' as const;
  readonly coverage = ['channels'] as const;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;

  constructor(
    private readonly source: SourceDefinition & { options: TelegramWebOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
  }

  initialCursor(): TelegramWebCursor {
    return { maxSeenId: 0, tracked: [] };
  }

  async poll(cursor: TelegramWebCursor, options: PollOptions): Promise<PollResult<TelegramWebCursor>> {
    const o = this.source.options;
    const first = cursor.maxSeenId === 0;
    const read = new Map<number, PreviewPost>();
    let before: number | undefined;
    for (let page = 0; page < o.maxPages; page++) {
      const posts = await this.page(before);
      for (const p of posts) read.set(p.id, p);
      const oldest = posts[0];
      if (!oldest || oldest.id <= 1 || (first ? read.size >= o.bootstrapBacklog : oldest.id <= cursor.maxSeenId + 1)) break;
      if (before !== undefined && oldest.id >= before) break;
      before = oldest.id;
    }
    const lowest = Math.min(...read.keys());
    let fresh = [...read.values()].filter((p) => p.id > cursor.maxSeenId).sort((a, b) => a.id - b.id);
    if (first && fresh.length > o.bootstrapBacklog) fresh = fresh.slice(fresh.length - o.bootstrapBacklog);
    const take = fresh.slice(0, Math.max(1, options.limit));
    const more = take.length < fresh.length;
    const capturedAt = this.env.now().toISOString();
    const items: PollItem[] = [];
    const next = reconcileWatched(
      cursor.tracked,
      (t) => read.get(t.id),
      (t, now) => {
        const post = collect(items, `post-${now.id}`, now, () => this.normalize(now, capturedAt), (p) => p.revision !== t.revision);
        return { ...t, revision: post?.revision ?? t.revision, last: snapshot(now) };
      },
      (t) => void collect(items, `post-${t.id}`, t.last, () => tombstone(this.normalize({ id: t.id, channel: o.channel, text: t.last.text, date: t.last.date, edited: false }, capturedAt), capturedAt, capturedAt)),
      // Only a post inside the range just read can be said to be missing.
      (t) => t.id >= lowest,
    );
    for (const p of take) {
      const post = collect(items, `post-${p.id}`, p, () => this.normalize(p, capturedAt));
      next.push({ id: p.id, revision: post?.revision ?? contentRevision(p.text), misses: 0, last: snapshot(p) });
    }
    const maxSeenId = Math.max(cursor.maxSeenId, ...take.map((p) => p.id));
    return { items, nextCursor: { maxSeenId, tracked: next.sort((a, b) => b.id - a.id).slice(0, o.trackPosts) }, more };
  }

  private normalize(p: PreviewPost, capturedAt: string): Post {
    const o = this.source.options;
    const chat = o.chatId === undefined ? `@${o.channel.toLowerCase()}` : String(o.chatId);
    // The preview shows "edited" but not when: the revision is the text's, the edit time unknown.
    return {
      id: `tg:${chat}:${p.id}`,
      revision: contentRevision(p.text),
      platform: 'tg',
      kind: 'post',
      sourceId: this.sourceId,
      community: { id: chat, name: o.channel },
      author: { id: chat, kind: 'community' },
      text: p.text,
      createdAt: p.date,
      permalink: `https://t.me/${o.channel}/${p.id}`,
      engagement: p.views === undefined ? {} : { views: p.views },
      ...(this.source.territory ? { territory: this.source.territory } : {}),
      capturedAt,
      raw: { source: 't.me/s', ...p },
    };
  }


  /** One preview page (newest, or older than `before`); the posts on it, oldest first. */
  private async page(before: number | undefined): Promise<PreviewPost[]> {
    const o = this.source.options;
    const where = `t.me/s/${o.channel}${before === undefined ? '' : `?before=${before}`} (source ${this.sourceId})`;
    const { status, text, headers } = await withinBudget(this.env, IP_BUDGET_KEY, o.requestsPerSecond, () =>
      requestPlatform({
        platform: 'tg',
        where,
        url: `${o.baseUrl.replace(/\/$/, '')}/s/${o.channel}${before === undefined ? '' : `?before=${before}`}`,
        method: 'GET',
        headers: { accept: 'text/html', 'accept-language': 'ru,en;q=0.8' },
        timeoutMs: o.timeoutMs,
        ...(this.env.http ? { dispatcher: this.env.http } : {}),
      }),
    );
    if (status === 429) {
      const retry = Number(Array.isArray(headers['retry-after']) ? headers['retry-after'][0] : headers['retry-after']);
      throw new OtklikError('PLATFORM_RATE_LIMITED', `${where}: HTTP 429`, { details: { platform: 'tg', status }, retryAfterS: Number.isFinite(retry) && retry > 0 ? retry : 60 });
    }
    // t.me answers a channel without a public preview (private, restricted, renamed) with a redirect.
    if (status >= 300 && status < 400) {
      throw new OtklikError('PLATFORM_AUTH_FAILED', `${where}: the channel has no public web preview (HTTP ${status})`, { details: { platform: 'tg', status } });
    }
    if (status !== 200) throw new OtklikError('PLATFORM_ERROR', `${where}: HTTP ${status}`, { details: { platform: 'tg', status, raw: text.slice(0, 2000) } });
    const page = parsePreviewPage(text);
    if (!page.recognised) {
      throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${where}: the page is not a channel history (the markup may have changed)`, { details: { platform: 'tg', status, raw: text.slice(0, 2000) } });
    }
    // Posts of another channel on the page would mean a redirect to a renamed channel.
    return page.posts.filter((p) => p.channel.toLowerCase() === o.channel.toLowerCase());
  }
}

function snapshot(p: PreviewPost): Tracked['last'] {
  return { text: p.text, date: p.date, ...(p.views === undefined ? {} : { views: p.views }) };
}

export const telegramWebConnectorFactory: ConnectorFactory<TelegramWebOptions> = {
  type: 'telegram-web',
  optionsSchema: telegramWebOptionsSchema,
  create: (source, env) => new TelegramWebConnector(source, env),
};
