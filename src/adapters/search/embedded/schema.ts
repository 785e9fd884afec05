import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { OtklikError } from '../../../core/errors.js';
import type { Incident } from '../../../core/incident/incident.js';
import { incidentQuality } from '../../../core/quality/incident-quality.js';

export const SCHEMA_VERSION = 3;

/** A UTC day in milliseconds: the bucket of the posts' daily counts (post_days). */
export const DAY_MS = 86_400_000;

// The full-text table is contentless: the words are in posts.text and nothing reads them back from
// the index (a quarter of a gigabyte at a million posts). A plain contentless FTS5 table refuses
// DELETE; `contentless_delete = 1` (SQLite 3.43+, "Contentless-Delete Tables" in sqlite.org/fts5.html)
// lets a new revision replace its row. An index made before keeps its content table, which works the same.
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
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(stems, words, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0', detail = 'full');
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
  doc TEXT NOT NULL,
  q_answers INTEGER NOT NULL DEFAULT 0,
  q_formal INTEGER NOT NULL DEFAULT 0,
  q_verdict TEXT,
  q_reopenings INTEGER NOT NULL DEFAULT 0,
  q_returned INTEGER NOT NULL DEFAULT 0
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
CREATE TABLE IF NOT EXISTS post_dims (
  rowid INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  topic TEXT NOT NULL,
  territory TEXT,
  sentiment TEXT NOT NULL,
  type TEXT NOT NULL,
  platform TEXT NOT NULL,
  source TEXT NOT NULL,
  alert INTEGER NOT NULL,
  incident_id TEXT
);
CREATE TABLE IF NOT EXISTS post_days (
  day INTEGER NOT NULL,
  topic TEXT NOT NULL,
  territory TEXT NOT NULL,
  sentiment TEXT NOT NULL,
  type TEXT NOT NULL,
  platform TEXT NOT NULL,
  alert INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, topic, territory, sentiment, type, platform, alert)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spikes (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  topic TEXT NOT NULL,
  territory TEXT NOT NULL,
  hour INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS spikes_hour ON spikes(hour);
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

/** Version 3 keeps each incident's quality counts, the posts' daily counts and the spikes (the tables made by SCHEMA) (incidentQuality) in columns the ratings sum. */
const QUALITY_COLUMNS: readonly [string, string][] = [
  ['q_answers', 'INTEGER NOT NULL DEFAULT 0'],
  ['q_formal', 'INTEGER NOT NULL DEFAULT 0'],
  ['q_verdict', 'TEXT'],
  ['q_reopenings', 'INTEGER NOT NULL DEFAULT 0'],
  ['q_returned', 'INTEGER NOT NULL DEFAULT 0'],
];

/** The quality columns of an incident row, as writeIncidents fills them. */
export function qualityColumns(i: Incident): { q_answers: number; q_formal: number; q_verdict: string | null; q_reopenings: number; q_returned: number } {
  const q = incidentQuality(i);
  return { q_answers: q.answers, q_formal: q.formal, q_verdict: q.verdict, q_reopenings: q.reopenings, q_returned: q.returned };
}

/** Judges the incidents already in an index of version 2 (the answers' texts are in their documents), a thousand at a time. */
function backfillQuality(db: Database.Database): void {
  const page = db.prepare<[string], { id: string; doc: string }>('SELECT id, doc FROM incidents WHERE id > ? ORDER BY id LIMIT 1000');
  const update = db.prepare('UPDATE incidents SET q_answers=@q_answers, q_formal=@q_formal, q_verdict=@q_verdict, q_reopenings=@q_reopenings, q_returned=@q_returned WHERE id=@id');
  const write = db.transaction((rows: { id: string; doc: string }[]) => {
    for (const row of rows) update.run({ id: row.id, ...qualityColumns(JSON.parse(row.doc) as Incident) });
  });
  for (let after = ''; ; ) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    write(rows);
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** Adds the columns an index of version 1 or 2 lacks (a test may have made one with some of them), then fills them. */
function migrate2to3(db: Database.Database): void {
  const have = new Set((db.prepare('PRAGMA table_info(incidents)').all() as { name: string }[]).map((c) => c.name));
  for (const [name, type] of QUALITY_COLUMNS) if (!have.has(name)) db.exec(`ALTER TABLE incidents ADD COLUMN ${name} ${type}`);
  backfillQuality(db);
  db.exec(SCHEMA);
  // The narrow copy of the posts' fields and their daily counts, from the posts already indexed.
  db.exec(`DELETE FROM post_dims; INSERT INTO post_dims (rowid, created_at, topic, territory, sentiment, type, platform, source, alert, incident_id)
    SELECT rowid, created_at, topic, territory, sentiment, type, platform, source, alert, incident_id FROM posts`);
  db.exec(`DELETE FROM post_days; INSERT INTO post_days (day, topic, territory, sentiment, type, platform, alert, n)
    SELECT (created_at / ${DAY_MS}) * ${DAY_MS}, topic, coalesce(territory, ''), sentiment, type, platform, alert, count(*) FROM posts GROUP BY 1, 2, 3, 4, 5, 6, 7`);
}


/**
 * Opens (or creates) the index file and brings its schema to this engine's version. WAL lets the
 * api and worker roles read while the other writes.
 */
export function openIndexDb(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every 40 MB instead of SQLite's 4 MB: a batch of a few thousand posts
    // dirties a few megabytes, and copying them back to the file after nearly every commit cost
    // the writer a tenth of its time (measured: 11,000 → 12,200–13,200 posts/s at 300,000 posts).
    db.pragma('wal_autocheckpoint = 10000');
    // The api and worker roles may share the file: wait for a writer instead of failing.
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new OtklikError('SEARCH_UNAVAILABLE', `embedded index ${path}: index schema ${version} is newer than this engine (${SCHEMA_VERSION})`, { retryable: false });
    }
    if (version === 1) db.exec(MIGRATE_1_TO_2);
    if (version === 1 || version === 2) migrate2to3(db);
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (e) {
    if (e instanceof OtklikError) throw e;
    throw new OtklikError('SEARCH_UNAVAILABLE', `embedded index ${path}: ${(e as Error).message}`, { cause: e, retryable: false });
  }
}
