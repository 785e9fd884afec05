import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { OtklikError } from '../../core/errors.js';
import { analyzeText } from '../../core/search/analyze.js';
import { toFtsMatch } from '../../core/search/fts-query.js';
import type { Filters, SearchHit, SearchQuery, SearchResult, SlaQuery, SlaRow, TermCount, TermsQuery, TrendBucket, TrendQuery } from '../../core/search/query.js';
import type { TextNode } from '../../core/search/text-query.js';
import { percentile } from '../../core/percentile.js';
import type { CaptureWindow, MirroredIncident, IndexedPost, IndexOutcome, SearchBackendStatus, SearchIndex } from '../../ports/search-index.js';

const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS posts (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  revision TEXT NOT NULL,
  platform TEXT NOT NULL,
  source TEXT NOT NULL,
  territory TEXT,
  topic TEXT NOT NULL,
  sentiment TEXT NOT NULL,
  type TEXT NOT NULL,
  alert INTEGER NOT NULL,
  incident_id TEXT,
  parent_id TEXT,
  created_at INTEGER NOT NULL,
  captured_at INTEGER NOT NULL,
  permalink TEXT,
  text TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_created ON posts(created_at);
CREATE INDEX IF NOT EXISTS posts_topic_created ON posts(topic, created_at);
CREATE INDEX IF NOT EXISTS posts_territory_created ON posts(territory, created_at);
CREATE INDEX IF NOT EXISTS posts_incident ON posts(incident_id);
CREATE INDEX IF NOT EXISTS posts_parent ON posts(parent_id);
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(stems, words, tokenize = 'unicode61 remove_diacritics 0', detail = 'full');
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  body_id TEXT,
  topic TEXT NOT NULL,
  territory TEXT,
  priority TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_status ON incidents(status);
CREATE TABLE IF NOT EXISTS clocks (
  incident_id TEXT NOT NULL,
  clock_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  body_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  due_at INTEGER,
  stopped_at INTEGER,
  outcome TEXT,
  wall_minutes REAL,
  working_minutes REAL,
  breached INTEGER NOT NULL,
  PRIMARY KEY (incident_id, clock_id)
);
CREATE INDEX IF NOT EXISTS clocks_body_stopped ON clocks(body_id, stopped_at);
CREATE TABLE IF NOT EXISTS incident_events (
  incident_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (incident_id, version)
);
`;

/** Version 2 keeps the parent post of comments in a column (threads); older rows get it from their document. */
const MIGRATE_1_TO_2 = `
ALTER TABLE posts ADD COLUMN parent_id TEXT;
UPDATE posts SET parent_id = json_extract(doc, '$.post.parentId');
`;

const FIELD_COLUMNS = { topic: 'p.topic', territory: 'p.territory', sentiment: 'p.sentiment', type: 'p.type', platform: 'p.platform', source: 'p.source' } as const;

const BUCKETS: Record<TrendQuery['interval'], string> = {
  hour: `strftime('%Y-%m-%dT%H:00:00Z', p.created_at / 1000, 'unixepoch')`,
  day: `strftime('%Y-%m-%dT00:00:00Z', p.created_at / 1000, 'unixepoch')`,
  // ISO weeks start on Monday.
  week: `strftime('%Y-%m-%dT00:00:00Z', p.created_at / 1000, 'unixepoch', 'weekday 0', '-6 days')`,
  month: `strftime('%Y-%m-01T00:00:00Z', p.created_at / 1000, 'unixepoch')`,
};

interface Where {
  /** Matches of the text query, computed once before the filters (a CTE, so SQLite cannot interleave them). */
  cte: string;
  cteParams: string[];
  join: string;
  clauses: string[];
  params: (string | number)[];
}

/**
 * The embedded search index: SQLite with FTS5 through better-sqlite3, on disk, with the same
 * Russian analysis as the Elasticsearch templates (ё→е, lower case, stems for words, exact words
 * for phrases). The default backend when no ELASTICSEARCH_URL is configured.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  readonly backend = 'embedded';
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // The api and worker roles may share the file: wait for a writer instead of failing.
      this.db.pragma('busy_timeout = 5000');
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new Error(`index schema ${version} is newer than this engine (${SCHEMA_VERSION})`);
      if (version === 1) this.db.exec(MIGRATE_1_TO_2);
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (e) {
      throw new OtklikError('SEARCH_UNAVAILABLE', `embedded index ${path}: ${(e as Error).message}`, { cause: e, retryable: false });
    }
  }

  async indexPosts(docs: readonly IndexedPost[]): Promise<IndexOutcome> {
    if (docs.length === 0) return { rejected: [] };
    const find = this.db.prepare<[string], { rowid: number; captured_at: number }>('SELECT rowid, captured_at FROM posts WHERE id = ?');
    const insert = this.db.prepare(
      `INSERT INTO posts (id, revision, platform, source, territory, topic, sentiment, type, alert, incident_id, parent_id, created_at, captured_at, permalink, text, doc)
       VALUES (@id, @revision, @platform, @source, @territory, @topic, @sentiment, @type, @alert, @incident_id, @parent_id, @created_at, @captured_at, @permalink, @text, @doc)`,
    );
    const update = this.db.prepare(
      `UPDATE posts SET revision=@revision, platform=@platform, source=@source, territory=@territory, topic=@topic, sentiment=@sentiment, type=@type, alert=@alert,
       incident_id=@incident_id, parent_id=@parent_id, created_at=@created_at, captured_at=@captured_at, permalink=@permalink, text=@text, doc=@doc WHERE rowid=@rowid`,
    );
    const ftsDelete = this.db.prepare('DELETE FROM posts_fts WHERE rowid = ?');
    const ftsInsert = this.db.prepare('INSERT INTO posts_fts (rowid, stems, words) VALUES (?, ?, ?)');
    const write = this.db.transaction((batch: readonly IndexedPost[]) => {
      for (const d of batch) {
        const p = d.post;
        const row = {
          id: p.id,
          revision: p.revision,
          platform: p.platform,
          source: p.sourceId,
          territory: d.classification.territory ?? p.territory ?? null,
          topic: d.classification.topics[0]?.id ?? 'other',
          sentiment: d.classification.sentiment.label,
          type: d.classification.type,
          alert: d.classification.alert ? 1 : 0,
          incident_id: d.incidentId ?? null,
          parent_id: p.parentId ?? null,
          created_at: Date.parse(p.createdAt),
          captured_at: Date.parse(p.capturedAt),
          permalink: p.permalink ?? null,
          text: p.text,
          doc: JSON.stringify(d),
        };
        const existing = find.get(p.id);
        // Upsert by post id; an older revision arriving late does not replace a newer one.
        if (existing && existing.captured_at > row.captured_at) continue;
        let rowid: number;
        if (existing) {
          update.run({ ...row, rowid: existing.rowid });
          ftsDelete.run(existing.rowid);
          rowid = existing.rowid;
        } else {
          rowid = Number(insert.run(row).lastInsertRowid);
        }
        const { stems, words } = analyzeText(p.text);
        ftsInsert.run(rowid, stems.join(' '), words.join(' '));
      }
    });
    this.run(() => write(docs));
    return { rejected: [] };
  }

  async indexIncidents(items: readonly MirroredIncident[]): Promise<void> {
    if (items.length === 0) return;
    const current = this.db.prepare<[string], { version: number }>('SELECT version FROM incidents WHERE id = ?');
    const upsert = this.db.prepare(
      `INSERT INTO incidents (id, version, status, body_id, topic, territory, priority, created_at, updated_at, doc)
       VALUES (@id, @version, @status, @body_id, @topic, @territory, @priority, @created_at, @updated_at, @doc)
       ON CONFLICT(id) DO UPDATE SET version=excluded.version, status=excluded.status, body_id=excluded.body_id, topic=excluded.topic,
       territory=excluded.territory, priority=excluded.priority, updated_at=excluded.updated_at, doc=excluded.doc`,
    );
    const clearClocks = this.db.prepare('DELETE FROM clocks WHERE incident_id = ?');
    const insertClock = this.db.prepare(
      `INSERT INTO clocks (incident_id, clock_id, kind, scope, body_id, started_at, due_at, stopped_at, outcome, wall_minutes, working_minutes, breached)
       VALUES (@incident_id, @clock_id, @kind, @scope, @body_id, @started_at, @due_at, @stopped_at, @outcome, @wall_minutes, @working_minutes, @breached)`,
    );
    const insertEvent = this.db.prepare(
      `INSERT OR IGNORE INTO incident_events (incident_id, version, at, action, actor, from_status, to_status, doc)
       VALUES (@incident_id, @version, @at, @action, @actor, @from_status, @to_status, @doc)`,
    );
    const write = this.db.transaction((batch: readonly MirroredIncident[]) => {
      for (const { incident: inc, events } of batch) {
        for (const e of events) {
          insertEvent.run({ incident_id: e.incidentId, version: e.version, at: Date.parse(e.at), action: e.action, actor: e.actor.id, from_status: e.from, to_status: e.to, doc: JSON.stringify(e) });
        }
        // Only a newer version replaces the incident: mirrors may arrive out of order.
        const have = current.get(inc.id);
        if (have && have.version >= inc.version) continue;
        upsert.run({
          id: inc.id,
          version: inc.version,
          status: inc.status,
          body_id: inc.bodyId ?? null,
          topic: inc.topic,
          territory: inc.territory ?? null,
          priority: inc.priority,
          created_at: Date.parse(inc.createdAt),
          updated_at: Date.parse(inc.updatedAt),
          doc: JSON.stringify(inc),
        });
        clearClocks.run(inc.id);
        for (const c of inc.clocks) {
          insertClock.run({
            incident_id: inc.id,
            clock_id: c.id,
            kind: c.kind,
            scope: c.scope,
            body_id: c.bodyId,
            started_at: Date.parse(c.startedAt),
            due_at: c.dueAt ? Date.parse(c.dueAt) : null,
            stopped_at: c.stoppedAt ? Date.parse(c.stoppedAt) : null,
            outcome: c.outcome ?? null,
            wall_minutes: c.elapsed?.wallMinutes ?? null,
            working_minutes: c.elapsed?.workingMinutes ?? null,
            breached: c.breachedAt ? 1 : 0,
          });
        }
      }
    });
    this.run(() => write(items));
  }

  private where(f: Filters, text: TextNode | undefined): Where {
    const w: Where = { cte: '', cteParams: [], join: '', clauses: [], params: [] };
    if (text) {
      w.cte = 'WITH hits AS MATERIALIZED (SELECT rowid AS hid, bm25(posts_fts) AS score FROM posts_fts WHERE posts_fts MATCH ?) ';
      w.cteParams.push(toFtsMatch(text));
      w.join += ' JOIN hits ON hits.hid = p.rowid';
    }
    const inList = (column: string, values: readonly string[] | undefined) => {
      if (!values || values.length === 0) return;
      w.clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      w.params.push(...values);
    };
    inList('p.topic', f.topic);
    inList('p.sentiment', f.sentiment);
    inList('p.type', f.type);
    inList('p.platform', f.platform);
    inList('p.source', f.source);
    inList('p.territory', f.territory);
    inList('p.id', f.id);
    inList('p.incident_id', f.incident);
    inList('p.parent_id', f.parent);
    if (f.alert !== undefined) {
      w.clauses.push('p.alert = ?');
      w.params.push(f.alert ? 1 : 0);
    }
    if (f.from) {
      w.clauses.push('p.created_at >= ?');
      w.params.push(Date.parse(f.from));
    }
    if (f.to) {
      w.clauses.push('p.created_at < ?');
      w.params.push(Date.parse(f.to));
    }
    if ((f.body?.length ?? 0) > 0 || (f.status?.length ?? 0) > 0 || (f.priority?.length ?? 0) > 0) {
      w.join += ' JOIN incidents i ON i.id = p.incident_id';
      inList('i.body_id', f.body);
      inList('i.status', f.status);
      inList('i.priority', f.priority);
    }
    return w;
  }

  private sql(w: Where): string {
    return `FROM posts p${w.join}${w.clauses.length > 0 ? ` WHERE ${w.clauses.join(' AND ')}` : ''}`;
  }

  /** Runs `SELECT <what> FROM … WHERE … <tail>` with the text matches first. */
  private query<T>(w: Where, what: string, tail: string, extra: (string | number)[], all: boolean): T {
    const stmt = this.db.prepare(`${w.cte}SELECT ${what} ${this.sql(w)} ${tail}`);
    const params = [...w.cteParams, ...w.params, ...extra];
    return (all ? stmt.all(...params) : stmt.get(...params)) as T;
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    const w = this.where(q, q.text);
    const order = q.sort === 'relevance' && q.text ? 'hits.score, p.created_at DESC' : q.sort === 'oldest' ? 'p.created_at ASC, p.id' : 'p.created_at DESC, p.id';
    return this.run(() => {
      const total = this.query<{ n: number }>(w, 'count(*) AS n', '', [], false).n;
      const rows = this.query<PostRow[]>(w, 'p.*', `ORDER BY ${order} LIMIT ? OFFSET ?`, [q.size, (q.page - 1) * q.size], true);
      return { total, page: q.page, size: q.size, items: rows.map(toHit) };
    });
  }

  async trends(q: TrendQuery): Promise<TrendBucket[]> {
    const w = this.where(q, q.text);
    const bucket = BUCKETS[q.interval];
    const by = q.by ? FIELD_COLUMNS[q.by] : `'all'`;
    return this.run(() => {
      const rows = this.query<{ bucket: string; k: string; n: number }[]>(w, `${bucket} AS bucket, coalesce(${by}, '') AS k, count(*) AS n`, 'GROUP BY bucket, k ORDER BY bucket', [], true);
      const out = new Map<string, TrendBucket>();
      for (const r of rows) {
        const b = out.get(r.bucket) ?? { key: r.bucket, total: 0, by: {} };
        b.total += r.n;
        if (q.by) b.by[r.k] = r.n;
        out.set(r.bucket, b);
      }
      return [...out.values()];
    });
  }

  async terms(q: TermsQuery): Promise<TermCount[]> {
    const w = this.where(q, q.text);
    const col = FIELD_COLUMNS[q.field];
    w.clauses.push(`${col} IS NOT NULL`);
    return this.run(() => this.query<TermCount[]>(w, `${col} AS key, count(*) AS count`, 'GROUP BY key ORDER BY count DESC, key LIMIT ?', [q.size], true));
  }

  async sla(q: SlaQuery, now: Date): Promise<SlaRow[]> {
    const params: (string | number)[] = [];
    const clauses = [`kind = 'first_response'`, `scope = 'body'`];
    if (q.body && q.body.length > 0) {
      clauses.push(`body_id IN (${q.body.map(() => '?').join(', ')})`);
      params.push(...q.body);
    }
    const ended = [...clauses, `outcome IN ('met', 'late')`];
    const endedParams = [...params];
    if (q.from) {
      ended.push('stopped_at >= ?');
      endedParams.push(Date.parse(q.from));
    }
    if (q.to) {
      ended.push('stopped_at < ?');
      endedParams.push(Date.parse(q.to));
    }
    return this.run(() => {
      const rows = this.db.prepare(`SELECT body_id, outcome, wall_minutes, working_minutes FROM clocks WHERE ${ended.join(' AND ')}`).all(...endedParams) as {
        body_id: string;
        outcome: string;
        wall_minutes: number | null;
        working_minutes: number | null;
      }[];
      const overdue = this.db
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
      return [...bodies.entries()]
        .map(([bodyId, b]) => {
          const measured = b.met + b.late;
          return {
            bodyId,
            measured,
            met: b.met,
            late: b.late,
            overdueNow: b.overdue,
            compliance: measured === 0 ? null : Math.round((b.met / measured) * 1000) / 1000,
            medianWorkingMinutes: percentile(b.work, 0.5),
            p90WorkingMinutes: percentile(b.work, 0.9),
            medianWallMinutes: percentile(b.wall, 0.5),
            p90WallMinutes: percentile(b.wall, 0.9),
          };
        })
        .sort((a, b) => a.bodyId.localeCompare(b.bodyId));
    });
  }

  async status(): Promise<SearchBackendStatus> {
    try {
      const n = (this.db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n;
      const i = (this.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
      return { backend: this.backend, configured: true, ok: true, message: `embedded index ${this.path}: ${n} posts, ${i} incidents` };
    } catch (e) {
      return { backend: this.backend, configured: true, ok: false, message: `embedded index ${this.path}: ${(e as Error).message}` };
    }
  }

  async purgePersonalData(window: CaptureWindow): Promise<number> {
    const before = window.before.getTime();
    const from = window.from?.getTime() ?? 0;
    // created_at <= captured_at, so the created_at index narrows the scan to old posts.
    return this.run(
      () =>
        this.db
          .prepare(
            `UPDATE posts SET doc = json_set(json_remove(doc, '$.post.raw'), '$.post.author', json('null'))
             WHERE created_at < @before AND captured_at < @before AND captured_at >= @from
               AND (json_type(doc, '$.post.raw') IS NOT NULL OR json_type(doc, '$.post.author') = 'object')`,
          )
          .run({ before, from }).changes,
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** SQLite errors become typed ones; a malformed FTS expression cannot happen (tokens are quoted). */
  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof OtklikError) throw e;
      const code = (e as { code?: string }).code ?? '';
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_IOERR' || code === 'SQLITE_FULL';
      throw new OtklikError('SEARCH_INDEX_FAILED', `embedded index: ${(e as Error).message}`, { cause: e, retryable: busy });
    }
  }
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
