import type Database from 'better-sqlite3';
import { toFtsMatch } from '../../../core/search/fts-query.js';
import type { Filters, SearchHit, SearchQuery, SearchResult, SlaQuery, SlaRow, TermCount, TermsQuery, TrendBucket, TrendQuery } from '../../../core/search/query.js';
import type { TextNode } from '../../../core/search/text-query.js';
import { byBody, NOTHING_MEASURED, slaRow } from '../../../core/search/sla-row.js';
import { addQuality, NO_QUALITY, type QualityMeasure } from '../../../core/quality/incident-quality.js';
import { MAX_SPIKES_READ, type SpikeQuery, type SpikeRecord } from '../../../core/spikes/spike.js';
import { percentile } from '../../../core/numbers.js';
import { DAY_MS } from './schema.js';

const FIELD_COLUMNS = { topic: 'p.topic', territory: 'p.territory', sentiment: 'p.sentiment', type: 'p.type', platform: 'p.platform', source: 'p.source' } as const;

/** The bucket of an instant column (milliseconds), per interval. */
const bucketOf = (column: string): Record<TrendQuery['interval'], string> => ({
  hour: `strftime('%Y-%m-%dT%H:00:00Z', ${column} / 1000, 'unixepoch')`,
  day: `strftime('%Y-%m-%dT00:00:00Z', ${column} / 1000, 'unixepoch')`,
  // ISO weeks start on Monday.
  week: `strftime('%Y-%m-%dT00:00:00Z', ${column} / 1000, 'unixepoch', 'weekday 0', '-6 days')`,
  month: `strftime('%Y-%m-01T00:00:00Z', ${column} / 1000, 'unixepoch')`,
});
const BUCKETS = bucketOf('p.created_at');

/** The bucket key of a UTC day for a day, week (from Monday) or month, as the SQL buckets write it. */
function utcBucket(day: number, interval: Exclude<TrendQuery['interval'], 'hour'>): string {
  const d = new Date(day);
  const start = interval === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) : interval === 'week' ? day - ((d.getUTCDay() + 6) % 7) * DAY_MS : day;
  return `${new Date(start).toISOString().slice(0, 10)}T00:00:00Z`;
}
/** The dimensions the daily counts keep (not the source: forty sources would multiply the rows by forty). */
const DAY_COLUMNS = { topic: 'd.topic', territory: 'd.territory', sentiment: 'd.sentiment', type: 'd.type', platform: 'd.platform' } as const;

/** `column IN (…)` when values are given. */
function inClause(column: string, values: readonly string[] | undefined, clauses: string[], params: (string | number)[]): void {
  if (!values || values.length === 0) return;
  clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  params.push(...values);
}

/**
 * The filters the posts and their daily counts share: topic, sentiment, type, platform, territory,
 * alert, and a scoped caller's territories (in them, under them, or with none).
 */
function dimensionClauses(t: 'p' | 'd', noTerritory: string, f: Filters, clauses: string[], params: (string | number)[]): void {
  inClause(`${t}.topic`, f.topic, clauses, params);
  inClause(`${t}.sentiment`, f.sentiment, clauses, params);
  inClause(`${t}.type`, f.type, clauses, params);
  inClause(`${t}.platform`, f.platform, clauses, params);
  inClause(`${t}.territory`, f.territory, clauses, params);
  if (f.scope) {
    const parts = [noTerritory];
    if (f.scope.exact.length > 0) {
      parts.push(`${t}.territory IN (${f.scope.exact.map(() => '?').join(', ')})`);
      params.push(...f.scope.exact);
    }
    for (const prefix of f.scope.prefixes) {
      parts.push(`substr(${t}.territory, 1, ?) = ?`);
      params.push(prefix.length, prefix);
    }
    clauses.push(`(${parts.join(' OR ')})`);
  }
  if (f.alert !== undefined) {
    clauses.push(`${t}.alert = ?`);
    params.push(f.alert ? 1 : 0);
  }
}

/** `column >= from AND column < to` for the ends given (instants as ISO strings or milliseconds). */
function period(column: string, from: string | number | undefined, to: string | number | undefined, clauses: string[], params: (string | number)[]): void {
  const ms = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));
  if (from !== undefined) {
    clauses.push(`${column} >= ?`);
    params.push(ms(from));
  }
  if (to !== undefined) {
    clauses.push(`${column} < ?`);
    params.push(ms(to));
  }
}

interface Where {
  /** The table the filters read: the posts, or their narrow copy (post_dims) when no post's own field is asked for. */
  table: 'posts' | 'post_dims';
  /** Matches of the text query, computed once before the filters (a CTE, so SQLite cannot interleave them). */
  cte: string;
  cteParams: string[];
  join: string;
  clauses: string[];
  params: (string | number)[];
}

function where(f: Filters, text: TextNode | undefined, scored = false): Where {
  const w: Where = { table: 'posts', cte: '', cteParams: [], join: '', clauses: [], params: [] };
  if (text) {
    // bm25 only when the results are ranked by it: scoring every match costs as much as finding it.
    w.cte = `WITH hits AS MATERIALIZED (SELECT rowid AS hid${scored ? ', bm25(posts_fts) AS score' : ''} FROM posts_fts WHERE posts_fts MATCH ?) `;
    w.cteParams.push(toFtsMatch(text));
    w.join += ' JOIN hits ON hits.hid = p.rowid';
  }
  const inList = (column: string, values: readonly string[] | undefined) => inClause(column, values, w.clauses, w.params);
  dimensionClauses('p', 'p.territory IS NULL', f, w.clauses, w.params);
  inList('p.source', f.source);
  inList('p.id', f.id);
  inList('p.incident_id', f.incident);
  inList('p.parent_id', f.parent);
  period('p.created_at', f.from, f.to, w.clauses, w.params);
  if ((f.body?.length ?? 0) > 0 || (f.status?.length ?? 0) > 0 || (f.priority?.length ?? 0) > 0) {
    w.join += ' JOIN incidents i ON i.id = p.incident_id';
    inList('i.body_id', f.body);
    inList('i.status', f.status);
    inList('i.priority', f.priority);
  }
  return w;
}

function fromClause(w: Where): string {
  return `FROM ${w.table} p${w.join}${w.clauses.length > 0 ? ` WHERE ${w.clauses.join(' AND ')}` : ''}`;
}

/** Runs `SELECT <what> FROM … WHERE … <tail>` with the text matches first. */
function select<T>(db: Database.Database, w: Where, what: string, tail: string, extra: (string | number)[], all: boolean): T {
  const stmt = db.prepare(`${w.cte}SELECT ${what} ${fromClause(w)} ${tail}`);
  const params = [...w.cteParams, ...w.params, ...extra];
  return (all ? stmt.all(...params) : stmt.get(...params)) as T;
}

/** Above this many matches, newest-first pages walk the posts by date and test each for a match. */
const DENSE_MATCHES = 1000;

export function searchPosts(db: Database.Database, q: SearchQuery): SearchResult {
  const relevance = q.sort === 'relevance' && q.text !== undefined;
  const w = where(q, q.text, relevance);
  const order = relevance ? 'hits.score, p.created_at DESC' : q.sort === 'oldest' ? 'p.created_at ASC, p.id' : 'p.created_at DESC, p.id';
  const total = countPosts(db, q, q.text);
  const page = [q.size, (q.page - 1) * q.size];
  let rows: PostRow[];
  if (q.text && !relevance && total >= DENSE_MATCHES) {
    // A common word matches a large share of the posts: walking the date index from the newest end
    // and testing membership finds a page after a few hundred posts, where joining every match to
    // its post first reads them all (a word in one post of ten: 100,000 reads at a million posts).
    // The unary + keeps SQLite from looking each match up by rowid instead (83 → 5 ms at a million).
    const walk = { ...w, join: w.join.replace(' JOIN hits ON hits.hid = p.rowid', ''), clauses: ['+p.rowid IN (SELECT hid FROM hits)', ...w.clauses] };
    rows = select<PostRow[]>(db, walk, 'p.*', `ORDER BY ${order} LIMIT ? OFFSET ?`, page, true);
  } else {
    rows = select<PostRow[]>(db, w, 'p.*', `ORDER BY ${order} LIMIT ? OFFSET ?`, page, true);
  }
  return { total, page: q.page, size: q.size, items: rows.map(toHit) };
}

export function trendBuckets(db: Database.Database, q: TrendQuery): TrendBucket[] {
  const rows: { bucket: string; k: string; n: number }[] = [];
  const dayBy = q.by === 'source' ? null : q.by;
  const interval = q.interval;
  const split = interval !== 'hour' && dayBy !== null ? daySplit(q, q.text) : undefined;
  if (split && dayBy !== null && interval !== 'hour') {
    const d = dayWhere(q, split.days);
    const by = dayBy ? DAY_COLUMNS[dayBy] : `'all'`;
    // Grouped by day in SQL (the table's own order), into weeks and months here: formatting a
    // bucket per row cost more than the sums.
    const perDay = db.prepare(`SELECT d.day AS day, ${by} AS k, sum(d.n) AS n FROM post_days d ${d.sql} GROUP BY d.day, k`).all(...d.params) as { day: number; k: string; n: number }[];
    for (const r of perDay) rows.push({ bucket: utcBucket(r.day, interval), k: r.k, n: r.n });
    for (const edge of split.edges) rows.push(...rawTrend(db, { ...q, ...edge }));
  } else {
    rows.push(...rawTrend(db, q));
  }
  const out = new Map<string, TrendBucket>();
  for (const r of rows) {
    if (r.n === 0) continue;
    const b = out.get(r.bucket) ?? { key: r.bucket, total: 0, by: {} };
    b.total += r.n;
    if (q.by) b.by[r.k] = (b.by[r.k] ?? 0) + r.n;
    out.set(r.bucket, b);
  }
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function rawTrend(db: Database.Database, q: TrendQuery): { bucket: string; k: string; n: number }[] {
  const w = narrow(where(q, q.text));
  const by = q.by ? FIELD_COLUMNS[q.by] : `'all'`;
  return select(db, w, `${BUCKETS[q.interval]} AS bucket, coalesce(${by}, '') AS k, count(*) AS n`, 'GROUP BY bucket, k', [], true);
}

export function termCounts(db: Database.Database, q: TermsQuery): TermCount[] {
  const split = q.field !== 'source' ? daySplit(q, q.text) : undefined;
  if (!split) return rawTerms(db, q, q.size);
  const col = DAY_COLUMNS[q.field as keyof typeof DAY_COLUMNS];
  const d = dayWhere(q, split.days);
  // Every value, not the top N: the edges' counts may reorder them.
  const counts = new Map<string, number>();
  const add = (rows: TermCount[]) => rows.forEach((r) => counts.set(r.key, (counts.get(r.key) ?? 0) + r.count));
  add(db.prepare(`SELECT ${col} AS key, sum(d.n) AS count FROM post_days d ${d.sql}${d.sql ? ' AND' : ' WHERE'} ${col} != '' GROUP BY key`).all(...d.params) as TermCount[]);
  for (const edge of split.edges) add(rawTerms(db, { ...q, ...edge }, -1));
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, q.size);
}

function rawTerms(db: Database.Database, q: TermsQuery, limit: number): TermCount[] {
  const w = narrow(where(q, q.text));
  const col = FIELD_COLUMNS[q.field];
  w.clauses.push(`${col} IS NOT NULL`);
  return select<TermCount[]>(db, w, `${col} AS key, count(*) AS count`, 'GROUP BY key ORDER BY count DESC, key LIMIT ?', [limit], true);
}

/**
 * Grouping the matches of words with no other filter reads the narrow copy of the posts' fields
 * (post_dims: dates and dimensions, some fifty bytes a post) instead of the posts themselves (their
 * text and document, two kilobytes): a common word's matches are tens of thousands of row reads
 * either way, twice as fast there. With filters the posts' own indexes (territory or topic by date)
 * narrow the matches first and win.
 */
function narrow(w: Where): Where {
  return w.clauses.length === 0 ? { ...w, table: 'post_dims' } : w;
}

/** How many posts match: from the daily counts where they can answer, else by counting the posts. */
function countPosts(db: Database.Database, f: Filters, text: TextNode | undefined): number {
  const split = daySplit(f, text);
  if (!split) {
    const w = where(f, text);
    // Words alone: the matches are the count, no post needs reading.
    if (text && w.clauses.length === 0 && w.join === ' JOIN hits ON hits.hid = p.rowid') return (db.prepare('SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH ?').get(...w.cteParams) as { n: number }).n;
    return select<{ n: number }>(db, w, 'count(*) AS n', '', [], false).n;
  }
  const d = dayWhere(f, split.days);
  const days = (db.prepare(`SELECT coalesce(sum(d.n), 0) AS n FROM post_days d ${d.sql}`).get(...d.params) as { n: number }).n;
  return split.edges.reduce((n, edge) => n + select<{ n: number }>(db, where({ ...f, ...edge }, undefined), 'count(*) AS n', '', [], false).n, days);
}

/**
 * The daily counts (post_days) answer counts, trends by day, week and month, and top values when
 * the filters are only the dimensions they keep (no words, no source, no incident's fields). The
 * period splits into whole UTC days, read from the counts, and the parts of a day at either end,
 * counted from the posts (a few thousand rows at most). A period inside one day is counted from the
 * posts. At a million posts this is what keeps a year's trend from reading every post.
 */
function daySplit(f: Filters, text: TextNode | undefined): { days: { from?: number; to?: number }; edges: { from: string; to: string }[] } | undefined {
  const unkept = [f.source, f.id, f.incident, f.parent, f.body, f.status, f.priority].some((v) => (v?.length ?? 0) > 0);
  if (text || unkept) return undefined;
  const from = f.from ? Date.parse(f.from) : undefined;
  const to = f.to ? Date.parse(f.to) : undefined;
  const firstDay = from === undefined ? undefined : Math.ceil(from / DAY_MS) * DAY_MS;
  const endDay = to === undefined ? undefined : Math.floor(to / DAY_MS) * DAY_MS;
  if (firstDay !== undefined && endDay !== undefined && firstDay >= endDay) return undefined;
  const edges: { from: string; to: string }[] = [];
  if (from !== undefined && firstDay !== undefined && firstDay > from) edges.push({ from: new Date(from).toISOString(), to: new Date(firstDay).toISOString() });
  if (to !== undefined && endDay !== undefined && endDay < to) edges.push({ from: new Date(endDay).toISOString(), to: new Date(to).toISOString() });
  return { days: { ...(firstDay === undefined ? {} : { from: firstDay }), ...(endDay === undefined ? {} : { to: endDay }) }, edges };
}

/** The WHERE of the daily counts for the filters daySplit accepted. */
function dayWhere(f: Filters, days: { from?: number; to?: number }): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  // A post with no territory is counted under ''.
  dimensionClauses('d', `d.territory = ''`, f, clauses, params);
  period('d.day', days.from, days.to, clauses, params);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** First-response clocks of bodies: those that ended in the period, and those running past due now. */
export function slaRows(db: Database.Database, q: SlaQuery, now: Date): SlaRow[] {
  const params: (string | number)[] = [];
  const clauses = [`kind = 'first_response'`, `scope = 'body'`];
  if (q.body && q.body.length > 0) {
    clauses.push(`body_id IN (${q.body.map(() => '?').join(', ')})`);
    params.push(...q.body);
  }
  const ended = [...clauses, `outcome IN ('met', 'late')`];
  const endedParams = [...params];
  period('stopped_at', q.from, q.to, ended, endedParams);
  const rows = db.prepare(`SELECT body_id, outcome, wall_minutes, working_minutes FROM clocks WHERE ${ended.join(' AND ')}`).all(...endedParams) as {
    body_id: string;
    outcome: string;
    wall_minutes: number | null;
    working_minutes: number | null;
  }[];
  const overdue = db
    .prepare(`SELECT body_id, count(*) AS n FROM clocks WHERE ${clauses.join(' AND ')} AND stopped_at IS NULL AND due_at IS NOT NULL AND due_at < ? GROUP BY body_id`)
    .all(...params, now.getTime()) as { body_id: string; n: number }[];
  const bodies = new Map<string, { met: number; late: number; wall: number[]; work: number[]; overdue: number }>();
  const get = (id: string) => {
    let b = bodies.get(id);
    if (!b) {
      b = { met: 0, late: 0, wall: [], work: [], overdue: 0 };
      bodies.set(id, b);
    }
    return b;
  };
  for (const r of rows) {
    const b = get(r.body_id);
    if (r.outcome === 'met') b.met++;
    else b.late++;
    if (r.wall_minutes !== null) b.wall.push(r.wall_minutes);
    if (r.working_minutes !== null) b.work.push(r.working_minutes);
  }
  for (const o of overdue) get(o.body_id).overdue = o.n;
  // Each incident the body answered in the period once, however many of its clocks ended in it.
  const answered = db
    .prepare(
      `SELECT DISTINCT c.body_id, i.id, i.q_answers, i.q_formal, i.q_verdict, i.q_reopenings, i.q_returned
       FROM clocks c JOIN incidents i ON i.id = c.incident_id WHERE ${ended.map((e) => `c.${e}`).join(' AND ')}`,
    )
    .all(...endedParams) as { body_id: string; id: string; q_answers: number; q_formal: number; q_verdict: 'satisfied' | 'unsatisfied' | null; q_reopenings: number; q_returned: number }[];
  const quality = new Map<string, QualityMeasure>();
  for (const r of answered) {
    quality.set(r.body_id, addQuality(quality.get(r.body_id) ?? NO_QUALITY, { answers: r.q_answers, formal: r.q_formal, verdict: r.q_verdict, reopenings: r.q_reopenings, returned: r.q_returned }));
  }
  return byBody(
    [...bodies].map(([bodyId, b]) =>
      slaRow(bodyId, {
        ...NOTHING_MEASURED,
        met: b.met,
        late: b.late,
        overdueNow: b.overdue,
        working: { median: percentile(b.work, 0.5), p90: percentile(b.work, 0.9) },
        wall: { median: percentile(b.wall, 0.5), p90: percentile(b.wall, 0.9) },
        quality: quality.get(bodyId) ?? NO_QUALITY,
      }),
    ),
  );
}

interface PostRow {
  id: string;
  revision: string;
  platform: string;
  source: string;
  territory: string | null;
  topic: string;
  sentiment: string;
  type: string;
  alert: number;
  incident_id: string | null;
  parent_id: string | null;
  created_at: number;
  permalink: string | null;
  text: string;
  doc: string;
}

/** Only tombstones carry a deletion time; most rows never pay for parsing their document. */
function deletedAt(doc: string): string | undefined {
  if (!doc.includes('"deletedAt"')) return undefined;
  return (JSON.parse(doc) as { post?: { deletedAt?: string } }).post?.deletedAt;
}

function toHit(r: PostRow): SearchHit {
  const deleted = deletedAt(r.doc);
  return {
    id: r.id,
    revision: r.revision,
    platform: r.platform,
    source: r.source,
    text: r.text,
    createdAt: new Date(r.created_at).toISOString(),
    ...(r.permalink ? { permalink: r.permalink } : {}),
    ...(r.territory ? { territory: r.territory } : {}),
    topic: r.topic,
    sentiment: r.sentiment,
    type: r.type,
    alert: r.alert === 1,
    ...(r.incident_id ? { incidentId: r.incident_id } : {}),
    ...(r.parent_id ? { parentId: r.parent_id } : {}),
    ...(deleted ? { deletedAt: deleted } : {}),
  };
}

/** Kept spikes in an hour range, of a kind, newest first. */
export function spikeRows(db: Database.Database, q: SpikeQuery): SpikeRecord[] {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  period('hour', q.from, q.to, clauses, params);
  if (q.kind) {
    clauses.push('kind = ?');
    params.push(q.kind);
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = db.prepare(`SELECT doc FROM spikes ${where} ORDER BY hour DESC, key LIMIT ?`).all(...params, Math.min(q.size, MAX_SPIKES_READ)) as { doc: string }[];
  return rows.map((r) => JSON.parse(r.doc) as SpikeRecord);
}
