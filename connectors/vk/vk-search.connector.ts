import { z } from 'zod';
import { isOtklikError } from '../../src/core/errors.js';
import { revisionKey } from '../../src/core/post.js';
import { parseTextQuery, type TextNode } from '../../src/core/search/text-query.js';
import { analyzeForMatch, matchesText, positiveConjunctions } from '../../src/core/search/text-match.js';
import type { Connector, ConnectorEnvironment, ConnectorFactory, PollItem, PollOptions, PollResult, SourceDefinition } from '../../src/connector/connector.js';
import { normalizeVkPost } from './normalize.js';
import { VkApi, vkTransportOptions } from './vk-api.js';

/** A key query: the boolean syntax of the search API (words in any form, "phrases", AND / OR / NOT, -word). */
const keyQuerySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/i),
    query: z.string().min(1).max(500),
    /** Territory given to what this query finds, when the query names a place. */
    territory: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    try {
      const node = parseTextQuery(q.query);
      if (!node) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'the query has no words', path: ['query'] });
      else if (!positiveConjunctions(node)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'the query expands to more than 16 VK searches; split it', path: ['query'] });
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message, path: ['query'] });
    }
  });

export const vkSearchOptionsSchema = z
  .object({
    queries: z.array(keyQuerySchema).min(1).max(300),
    ...vkTransportOptions,
    /** Each window starts this long before the previous one ended (posts are indexed with a delay). */
    overlapSeconds: z.number().int().min(300).max(86_400).default(900),
    /** How far back the very first search looks (VK's own default window is 24 h). */
    firstWindowHours: z.number().int().min(1).max(168).default(24),
    pageSize: z.number().int().min(10).max(200).default(200),
  })
  .strict();
export type VkSearchOptions = z.infer<typeof vkSearchOptionsSchema>;

const cursorSchema = z.object({
  /** Unix seconds: where the last window ended. */
  windowEnd: z.number().int().min(0),
  /** Revisions already taken inside the overlap, so a re-read post is not taken twice. */
  seen: z.record(z.string(), z.string()).default({}),
});
export type VkSearchCursor = z.infer<typeof cursorSchema>;

const searchItem = z.object({ id: z.number().int(), owner_id: z.number().int(), date: z.number().int(), text: z.string().default('') }).passthrough();
const searchPage = z.object({ items: z.array(searchItem), count: z.number().int().optional(), total_count: z.number().int().optional(), next_from: z.string().optional() }).passthrough();
type SearchItem = z.infer<typeof searchItem>;

/** VK returns only the first 1,000 results of a search; a window that holds more is split in time. */
const REACHABLE = 1000;
const MAX_SPLIT_DEPTH = 6;

/**
 * Keyword search across public VK posts (`newsfeed.search`) for configured key queries. VK's search
 * has no OR and no NOT: a query is expanded into plain conjunctions, one search each, and every
 * result is then checked against the whole query (word forms by stem, phrases, NOTs) before it is
 * taken. Windows overlap and results are de-duplicated by revision; a window that hits VK's
 * 1,000-result cap is split in time so nothing beyond the cap is silently lost.
 */
export class VkSearchConnector implements Connector<VkSearchCursor> {
  readonly type = 'vk-search';
  readonly platform = 'vk' as const;
  readonly coverage = ['keyword-search'] as const;
  readonly cursorSchema = cursorSchema;
  readonly sourceId: string;
  private readonly api: VkApi;
  private readonly queries: { id: string; node: TextNode; searches: string[]; territory?: string }[];

  constructor(
    private readonly source: SourceDefinition & { options: VkSearchOptions },
    private readonly env: ConnectorEnvironment,
  ) {
    this.sourceId = source.id;
    this.api = new VkApi(source.options, env, source.id);
    this.queries = source.options.queries.map((q) => {
      const node = parseTextQuery(q.query) as TextNode;
      const searches = (positiveConjunctions(node) ?? []).map((c) => [...c.words, ...c.phrases.map((p) => `"${p.join(' ')}"`)].join(' '));
      return { id: q.id, node, searches: [...new Set(searches)], ...(q.territory ? { territory: q.territory } : {}) };
    });
  }

  initialCursor(): VkSearchCursor {
    return { windowEnd: 0, seen: {} };
  }

  async poll(cursor: VkSearchCursor, _options: PollOptions): Promise<PollResult<VkSearchCursor>> {
    const o = this.source.options;
    const token = this.api.token();
    const now = Math.floor(this.env.now().getTime() / 1000);
    const start = cursor.windowEnd > 0 ? cursor.windowEnd - o.overlapSeconds : now - o.firstWindowHours * 3600;
    const capturedAt = this.env.now().toISOString();
    const items: PollItem[] = [];
    const seen: Record<string, string> = {};
    const taken = new Set<string>();
    const notices: string[] = [];
    for (const q of this.queries) {
      const found = new Map<string, SearchItem>();
      for (const search of q.searches) for (const item of await this.window(search, start, now, token, 0, notices)) found.set(`${item.owner_id}_${item.id}`, item);
      for (const item of found.values()) {
        if (!matchesText(q.node, analyzeForMatch(item.text))) continue;
        const ctx = { sourceId: this.sourceId, capturedAt, ...((q.territory ?? this.source.territory) ? { territory: q.territory ?? this.source.territory } : {}) };
        try {
          const post = normalizeVkPost(item, ctx);
          if (item.date >= now - o.overlapSeconds) seen[post.id] = post.revision;
          const key = revisionKey(post);
          if (cursor.seen[post.id] === post.revision || taken.has(key)) continue;
          taken.add(key);
          items.push({ ok: true, post });
        } catch (e) {
          if (!isOtklikError(e)) throw e;
          items.push({ ok: false, ref: `search-${item.owner_id}_${item.id}`, error: e, raw: item });
        }
      }
    }
    return { items, nextCursor: { windowEnd: now, seen }, more: false, ...(notices.length > 0 ? { notices } : {}) };
  }

  /** Every result of one search in [from, to], following next_from; split in two when VK's cap is hit. */
  private async window(q: string, from: number, to: number, token: string, depth: number, notices: string[]): Promise<SearchItem[]> {
    const o = this.source.options;
    const out: SearchItem[] = [];
    let startFrom: string | undefined;
    let saturated = false;
    for (;;) {
      const params = { q, start_time: from, end_time: to, count: o.pageSize, ...(startFrom ? { start_from: startFrom } : {}) };
      const page = this.api.parse(searchPage, await this.api.call('newsfeed.search', params, token), 'newsfeed.search');
      out.push(...page.items);
      if ((page.total_count ?? 0) > REACHABLE) saturated = true;
      if (!page.next_from || page.items.length === 0 || out.length >= REACHABLE) break;
      startFrom = page.next_from;
    }
    if (saturated && depth < MAX_SPLIT_DEPTH && to - from > 60) {
      const mid = Math.floor((from + to) / 2);
      return [...(await this.window(q, from, mid, token, depth + 1, notices)), ...(await this.window(q, mid + 1, to, token, depth + 1, notices))];
    }
    if (saturated) notices.push(`VK search "${q}" found more than ${REACHABLE} posts between ${new Date(from * 1000).toISOString()} and ${new Date(to * 1000).toISOString()}; only the newest ${REACHABLE} were reachable`);
    return out;
  }
}

export const vkSearchConnectorFactory: ConnectorFactory<VkSearchOptions> = {
  type: 'vk-search',
  optionsSchema: vkSearchOptionsSchema,
  create: (source, env) => new VkSearchConnector(source, env),
};
