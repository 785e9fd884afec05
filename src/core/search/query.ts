import { z } from 'zod';
import { OtklikError } from '../errors.js';
import { parseTextQuery, type TextNode } from './text-query.js';
import { queryList, queryRepeated } from '../query-params.js';

/** A small set of keyword values. */
const list = queryList(z.string().min(1).max(200));

const instant = z.string().datetime({ offset: true, message: 'expected an ISO 8601 instant, e.g. 2026-11-01T00:00:00Z' });

/** Filters every search and aggregation can take. Field names are closed: an unknown one is a 400. */
export const filtersSchema = z.object({
  topic: list,
  sentiment: list.pipe(z.array(z.enum(['negative', 'neutral', 'positive'])).optional()),
  type: list.pipe(z.array(z.enum(['complaint', 'question', 'gratitude', 'review', 'other'])).optional()),
  platform: list.pipe(z.array(z.enum(['vk', 'ok', 'tg'])).optional()),
  source: list,
  /** Territory ids contain commas («г. Энск, Северный район»): several are repeated parameters. */
  territory: queryRepeated(z.string().min(1).max(200)),
  body: list,
  status: list,
  priority: list.pipe(z.array(z.enum(['high', 'normal'])).optional()),
  /** These posts (by stable id). */
  id: list,
  /** Posts attached to these incidents (the opening post and its copies). */
  incident: list,
  /** Comments and replies under these posts (a thread). */
  parent: list,
  alert: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  from: instant.optional(),
  to: instant.optional(),
});

export const MAX_RESULT_WINDOW = 10_000;

export const searchQuerySchema = filtersSchema
  .extend({
    q: z.string().max(1000).optional(),
    sort: z.enum(['relevance', 'newest', 'oldest']).default('newest'),
    page: z.coerce.number().int().min(1).default(1),
    size: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" is before "from"' });
    if (q.page * q.size > MAX_RESULT_WINDOW) ctx.addIssue({ code: 'custom', path: ['page'], message: `results past ${MAX_RESULT_WINDOW} are not served; narrow the query` });
  });

export const trendQuerySchema = filtersSchema
  .extend({
    q: z.string().max(1000).optional(),
    interval: z.enum(['hour', 'day', 'week', 'month']).default('day'),
    by: z.enum(['topic', 'territory', 'sentiment', 'type', 'platform', 'source']).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" is before "from"' });
  });

export const termsQuerySchema = filtersSchema
  .extend({
    q: z.string().max(1000).optional(),
    field: z.enum(['topic', 'territory', 'sentiment', 'type', 'platform', 'source']),
    size: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();

export const slaQuerySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    body: list,
  })
  .strict();

/**
 * The territories a caller is limited to (a moderator's regions): posts in them, under them, or
 * with no territory at all (as incidents without one are everyone's to moderate). Set by the
 * server from the principal, never by a query string.
 */
export interface TerritoryScope {
  /** These territories exactly (a region and the gazetteer's places inside it). */
  exact: readonly string[];
  /** Territories named under them ("<region>, …"), for places the gazetteer does not list. */
  prefixes: readonly string[];
}

type Scoped = { scope?: TerritoryScope };
export type Filters = z.infer<typeof filtersSchema> & Scoped;
export type SearchQuery = z.infer<typeof searchQuerySchema> & { text?: TextNode } & Scoped;
export type TrendQuery = z.infer<typeof trendQuerySchema> & { text?: TextNode } & Scoped;
export type TermsQuery = z.infer<typeof termsQuerySchema> & { text?: TextNode } & Scoped;
export type SlaQuery = z.infer<typeof slaQuerySchema>;

/** Validates raw query parameters with a schema; problems become one 400-class error. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, raw: unknown): z.infer<S> & { text?: TextNode } {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.code === 'unrecognized_keys' ? `unknown parameter(s) ${(i as { keys: string[] }).keys.join(', ')}` : i.message}`);
    throw new OtklikError('SEARCH_QUERY_INVALID', problems.join('; '), { details: { problems } });
  }
  const data = parsed.data as z.infer<S>;
  const q: unknown = (data as { q?: unknown }).q;
  const text = typeof q === 'string' ? parseTextQuery(q) : undefined;
  return { ...data, ...(text ? { text } : {}) };
}

export interface SearchHit {
  id: string;
  revision: string;
  platform: string;
  source: string;
  text: string;
  createdAt: string;
  permalink?: string;
  territory?: string;
  topic: string;
  sentiment: string;
  type: string;
  alert: boolean;
  incidentId?: string;
  /** The post a comment was written under. */
  parentId?: string;
  /** When the platform stopped showing the post (a tombstone); the text is the last one seen. */
  deletedAt?: string;
}

export interface SearchResult {
  total: number;
  page: number;
  size: number;
  items: SearchHit[];
}

export interface TrendBucket {
  /** Start of the bucket, ISO instant (UTC). */
  key: string;
  total: number;
  by: Record<string, number>;
}

export interface TermCount {
  key: string;
  count: number;
}

export interface SlaRow {
  bodyId: string;
  /** Clocks that ended (met or late) in the period. */
  measured: number;
  met: number;
  late: number;
  /** Running clocks past their due time now. */
  overdueNow: number;
  compliance: number | null;
  medianWorkingMinutes: number | null;
  p90WorkingMinutes: number | null;
  medianWallMinutes: number | null;
  p90WallMinutes: number | null;
  /**
   * How well the body answered the incidents it answered in the period (those whose body
   * first-response clock ended in it): отписки among its answers, the residents' verdicts, the
   * incidents reopened since and answers sent back by review.
   */
  quality: {
    incidents: number;
    answers: number;
    formal: number;
    /** отписки among the answers; null with no answers. */
    formalShare: number | null;
    satisfied: number;
    unsatisfied: number;
    /** Satisfied among incidents with a verdict; null when nobody said. */
    satisfaction: number | null;
    reopened: number;
    /** Reopened among the incidents. */
    reopenedShare: number | null;
    returned: number;
  };
}
