import type Database from 'better-sqlite3';
import { analyzeText } from '../../../core/search/analyze.js';
import { DAY_MS, qualityColumns } from './schema.js';
import type { CaptureWindow, MirroredIncident, IndexedPost } from '../../../ports/search-index.js';
import type { SpikeRecord } from '../../../core/spikes/spike.js';
import { packPost } from './stored-post.js';

/**
 * Writes posts, upserted by id with their full-text rows (stems and exact words). An older
 * revision arriving late does not replace a newer one.
 */
export function writePosts(db: Database.Database, docs: readonly IndexedPost[]): void {
  if (docs.length === 0) return;
  const find = db.prepare<[string], { rowid: number; captured_at: number } & DayKey>('SELECT rowid, captured_at, created_at, topic, territory, sentiment, type, platform, alert FROM posts WHERE id = ?');
  const count = db.prepare(
    `INSERT INTO post_days (day, topic, territory, sentiment, type, platform, alert, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(day, topic, territory, sentiment, type, platform, alert) DO UPDATE SET n = n + excluded.n`,
  );
  const insert = db.prepare(
    `INSERT INTO posts (id, revision, platform, source, territory, topic, sentiment, type, alert, incident_id, parent_id, created_at, captured_at, permalink, text, doc)
     VALUES (@id, @revision, @platform, @source, @territory, @topic, @sentiment, @type, @alert, @incident_id, @parent_id, @created_at, @captured_at, @permalink, @text, @doc)`,
  );
  const update = db.prepare(
    `UPDATE posts SET revision=@revision, platform=@platform, source=@source, territory=@territory, topic=@topic, sentiment=@sentiment, type=@type, alert=@alert,
     incident_id=@incident_id, parent_id=@parent_id, created_at=@created_at, captured_at=@captured_at, permalink=@permalink, text=@text, doc=@doc WHERE rowid=@rowid`,
  );
  const ftsDelete = db.prepare('DELETE FROM posts_fts WHERE rowid = ?');
  const dimsInsert = db.prepare(
    `INSERT INTO post_dims (rowid, created_at, topic, territory, sentiment, type, platform, source, alert, incident_id)
     VALUES (@rowid, @created_at, @topic, @territory, @sentiment, @type, @platform, @source, @alert, @incident_id)`,
  );
  const dimsUpdate = db.prepare(
    `UPDATE post_dims SET created_at=@created_at, topic=@topic, territory=@territory, sentiment=@sentiment, type=@type, platform=@platform, source=@source, alert=@alert, incident_id=@incident_id
     WHERE rowid=@rowid`,
  );
  const ftsInsert = db.prepare('INSERT INTO posts_fts (rowid, stems, words) VALUES (?, ?, ?)');
  const write = db.transaction((batch: readonly IndexedPost[]) => {
    // The daily counts move with the posts: one statement per (day, dimensions) the batch touched.
    const days = new Map<string, { key: DayKey; n: number }>();
    const tally = (k: DayKey, delta: number) => {
      const id = dayKeyId(k);
      const e = days.get(id);
      if (e) e.n += delta;
      else days.set(id, { key: k, n: delta });
    };
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
        doc: packPost(d),
      };
      const existing = find.get(p.id);
      // Upsert by post id; an older revision arriving late does not replace a newer one.
      if (existing && existing.captured_at > row.captured_at) continue;
      let rowid: number;
      if (existing) {
        update.run({ ...row, rowid: existing.rowid });
        ftsDelete.run(existing.rowid);
        rowid = existing.rowid;
        tally(existing, -1);
      } else {
        rowid = Number(insert.run(row).lastInsertRowid);
      }
      tally(row, 1);
      const narrow = { rowid, created_at: row.created_at, topic: row.topic, territory: row.territory, sentiment: row.sentiment, type: row.type, platform: row.platform, source: row.source, alert: row.alert, incident_id: row.incident_id };
      if (existing) dimsUpdate.run(narrow);
      else dimsInsert.run(narrow);
      const { stems, words } = analyzeText(p.text);
      ftsInsert.run(rowid, stems.join(' '), words.join(' '));
    }
    for (const { key: k, n } of days.values()) {
      if (n !== 0) count.run(Math.floor(k.created_at / DAY_MS) * DAY_MS, k.topic, k.territory ?? '', k.sentiment, k.type, k.platform, k.alert, n);
    }
  });
  write(docs);
}

/** What a post's daily count is kept by. */
interface DayKey {
  created_at: number;
  topic: string;
  territory: string | null;
  sentiment: string;
  type: string;
  platform: string;
  alert: number;
}

function dayKeyId(k: DayKey): string {
  return `${Math.floor(k.created_at / DAY_MS)}\u0001${k.topic}\u0001${k.territory ?? ''}\u0001${k.sentiment}\u0001${k.type}\u0001${k.platform}\u0001${k.alert}`;
}

/** Writes incidents (only a newer version replaces one: mirrors may arrive out of order), their clocks and audit events. */
export function writeIncidents(db: Database.Database, items: readonly MirroredIncident[]): void {
  if (items.length === 0) return;
  const current = db.prepare<[string], { version: number }>('SELECT version FROM incidents WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO incidents (id, version, status, body_id, topic, territory, priority, created_at, updated_at, doc, q_answers, q_formal, q_verdict, q_reopenings, q_returned)
     VALUES (@id, @version, @status, @body_id, @topic, @territory, @priority, @created_at, @updated_at, @doc, @q_answers, @q_formal, @q_verdict, @q_reopenings, @q_returned)
     ON CONFLICT(id) DO UPDATE SET version=excluded.version, status=excluded.status, body_id=excluded.body_id, topic=excluded.topic,
     territory=excluded.territory, priority=excluded.priority, updated_at=excluded.updated_at, doc=excluded.doc,
     q_answers=excluded.q_answers, q_formal=excluded.q_formal, q_verdict=excluded.q_verdict, q_reopenings=excluded.q_reopenings, q_returned=excluded.q_returned`,
  );
  const clearClocks = db.prepare('DELETE FROM clocks WHERE incident_id = ?');
  const insertClock = db.prepare(
    `INSERT INTO clocks (incident_id, clock_id, kind, scope, body_id, started_at, due_at, stopped_at, outcome, wall_minutes, working_minutes, breached)
     VALUES (@incident_id, @clock_id, @kind, @scope, @body_id, @started_at, @due_at, @stopped_at, @outcome, @wall_minutes, @working_minutes, @breached)`,
  );
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO incident_events (incident_id, version, at, action, actor, from_status, to_status, doc)
     VALUES (@incident_id, @version, @at, @action, @actor, @from_status, @to_status, @doc)`,
  );
  const write = db.transaction((batch: readonly MirroredIncident[]) => {
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
        ...qualityColumns(inc),
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
  write(items);
}

/** Drops raw payloads and author details of posts captured in the window; returns how many posts changed. */
export function purgePersonalData(db: Database.Database, window: CaptureWindow): number {
  const before = window.before.getTime();
  const from = window.from?.getTime() ?? 0;
  // created_at <= captured_at, so the created_at index narrows the scan to old posts.
  return db
    .prepare(
      `UPDATE posts SET doc = json_set(json_remove(doc, '$.post.raw'), '$.post.author', json('null'))
       WHERE created_at < @before AND captured_at < @before AND captured_at >= @from
         AND (json_type(doc, '$.post.raw') IS NOT NULL OR json_type(doc, '$.post.author') = 'object')`,
    )
    .run({ before, from }).changes;
}

/** Keeps spikes, one row per key (a spike found again replaces its row). */
export function writeSpikes(db: Database.Database, spikes: readonly SpikeRecord[]): void {
  if (spikes.length === 0) return;
  const upsert = db.prepare(
    `INSERT INTO spikes (key, kind, topic, territory, hour, doc) VALUES (@key, @kind, @topic, @territory, @hour, @doc)
     ON CONFLICT(key) DO UPDATE SET doc=excluded.doc`,
  );
  db.transaction((batch: readonly SpikeRecord[]) => {
    for (const s of batch) upsert.run({ key: s.key, kind: s.kind, topic: s.topic, territory: s.territory, hour: Date.parse(s.hour), doc: JSON.stringify(s) });
  })(spikes);
}
