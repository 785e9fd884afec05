import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../../../src/paths.js';
import { EmbeddedSearchIndex } from '../../../../../src/adapters/search/embedded/embedded.search-index.js';
import { parseQuery, searchQuerySchema, slaQuerySchema, termsQuerySchema, trendQuerySchema } from '../../../../../src/core/search/query.js';
import { openIndexDb, SCHEMA_VERSION } from '../../../../../src/adapters/search/embedded/schema.js';
import { answeredIncident, doc, searchConformance } from '../../../../helpers/search-conformance.js';
import { unpackPost, type PostColumns } from '../../../../../src/adapters/search/embedded/stored-post.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'otklik-search-')), 'index.sqlite');

searchConformance('embedded (SQLite FTS5)', async () => new EmbeddedSearchIndex(fresh()));

describe('embedded index on disk', () => {
  it("writes on its own thread: the caller's event loop keeps turning while a large batch is written; on the caller's thread it does not", async () => {
    const batch = Array.from({ length: 20_000 }, (_, i) => doc({ id: `vk:-1_${i}`, text: `Яма на улице Садовой у дома ${i}, колесо пробил, прошу заделать`, at: '2026-11-16T08:00:00Z' }));
    const turns = async (idx: EmbeddedSearchIndex) => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const write = idx.indexPosts(batch);
      const atReturn = ticks;
      await write;
      clearInterval(timer);
      await idx.close();
      return ticks - atReturn;
    };
    // On the writer thread the loop ran its timers all through the write (a second or more of SQLite).
    expect(await turns(new EmbeddedSearchIndex(fresh()))).toBeGreaterThan(10);
    // On the caller's thread the whole write happened before indexPosts returned: not one timer ran.
    expect(await turns(new EmbeddedSearchIndex(fresh(), { writerThread: false }))).toBe(0);
    // And what the thread wrote is there to read.
    const path = fresh();
    const idx = new EmbeddedSearchIndex(path);
    await idx.indexPosts(batch.slice(0, 50));
    expect((await idx.search(parseQuery(searchQuerySchema, { q: 'садовой', size: 1 }))).total).toBe(50);
    await idx.close();
  }, 60_000);

  it('checkpoints its write-ahead log every 10,000 pages, not every 1,000 (a tenth of the writer thread time at 300,000 posts)', () => {
    const db = openIndexDb(fresh());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    db.close();
  });

  it('a script whose only work is awaiting a write is kept alive until the write is done', () => {
    // The writer thread is unref'd while idle (it must not hold a finished process open); with a
    // write in hand it must hold it, or the script would exit with the write pending and say nothing.
    const module = pathToFileURL(join(projectRoot, 'src/adapters/search/embedded/embedded.search-index.ts')).href;
    const script = `const { EmbeddedSearchIndex } = await import(${JSON.stringify(module)});
      const idx = new EmbeddedSearchIndex(${JSON.stringify(fresh())}, { readers: 0 });
      const post = (i) => ({ post: { id: 'vk:-1_' + i, revision: 'r1', platform: 'vk', kind: 'post', sourceId: 's', community: { id: '-1' }, engagement: {}, text: 'Яма ' + i, createdAt: '2026-11-16T08:00:00Z', capturedAt: '2026-11-16T08:00:00Z' }, classification: { language: 'rus', topics: [{ id: 'roads', score: 1 }], sentiment: { label: 'negative', score: -1 }, type: 'complaint', spam: false, alert: true, priority: 'normal', explain: [] }, analyzedAt: '2026-11-16T08:00:00Z' });
      await idx.indexPosts(Array.from({ length: 3000 }, (_, i) => post(i)));
      process.stdout.write('written ' + (await idx.status()).message);
      await idx.close();`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/^written embedded index .*: 3000 posts/);
  }, 90_000);

  it('SLA percentiles are exact (nearest rank)', async () => {
    const { incident } = await import('../../../../helpers/search-conformance.js');
    const idx = new EmbeddedSearchIndex(fresh());
    const clock = (work: number, stoppedAt: string) => ({ id: 'first_response.body.1', kind: 'first_response' as const, scope: 'body' as const, bodyId: 'b', policy: 'working-time:480', startedAt: '2026-11-16T08:00:00Z', pauses: [], dueAt: '2026-11-17T08:00:00Z', provisional: false, warnAt: [], warningsFired: [], stoppedAt, outcome: 'met' as const, elapsed: { wallMinutes: work * 2, workingMinutes: work } });
    await idx.indexIncidents([120, 240, 960].map((w, i) => ({ incident: incident(`inc_${i}`, 2, 'answered_final', 'b', [clock(w, '2026-11-16T12:00:00Z')]), events: [] })));
    const [row] = await idx.sla({}, new Date('2026-11-20T00:00:00Z'));
    expect(row).toMatchObject({ measured: 3, compliance: 1, medianWorkingMinutes: 240, p90WorkingMinutes: 960, medianWallMinutes: 480, p90WallMinutes: 1920 });
    await idx.close();
  });

  it('retention removes the author and the raw payload from the stored post, and only from posts captured in the window', async () => {
    const path = fresh();
    const idx = new EmbeddedSearchIndex(path);
    const withRaw = (d: ReturnType<typeof doc>) => ({ ...d, post: { ...d.post, raw: { from_id: 5, text: d.post.text } } });
    await idx.indexPosts([withRaw(doc({ id: 'vk:-1_1', text: 'Яма', at: '2026-10-01T08:00:00Z' })), withRaw(doc({ id: 'vk:-1_2', text: 'Ямы', at: '2026-11-16T08:00:00Z' }))]);
    expect(await idx.purgePersonalData({ before: new Date('2026-11-01T00:00:00Z') })).toBe(1);
    expect(await idx.purgePersonalData({ before: new Date('2026-11-01T00:00:00Z') })).toBe(0);
    await idx.close();
    const db = new Database(path, { readonly: true });
    const posts = Object.fromEntries((db.prepare('SELECT * FROM posts').all() as PostColumns[]).map((r) => [r.id, unpackPost(r)]));
    db.close();
    expect(posts['vk:-1_1']?.post).toMatchObject({ author: null, text: 'Яма' });
    expect(posts['vk:-1_1']?.post).not.toHaveProperty('raw');
    expect(posts['vk:-1_2']?.post).toMatchObject({ author: { id: '5' }, raw: { from_id: 5 } });
  });

  it('survives a restart', async () => {
    const path = fresh();
    const a = new EmbeddedSearchIndex(path);
    await a.indexPosts([doc({ id: 'vk:-1_1', text: 'Яма на дороге', at: '2026-11-16T08:00:00Z' })]);
    await a.close();
    const b = new EmbeddedSearchIndex(path);
    expect((await b.search(parseQuery(searchQuerySchema, { q: 'ямы' }))).total).toBe(1);
    expect((await b.status()).message).toMatch(/1 posts/);
    await b.close();
  });

  it('an index of schema 1 (no parent column) is migrated in place: old comments join their threads', async () => {
    const path = fresh();
    const a = new EmbeddedSearchIndex(path);
    const comment = doc({ id: 'vk:-1_1_c1', text: 'Подтверждаю, яма', at: '2026-11-16T09:00:00Z' });
    await a.indexPosts([{ ...comment, post: { ...comment.post, kind: 'comment', parentId: 'vk:-1_1' } }]);
    await a.close();
    // Make it what an engine of schema 1 left behind.
    const db = new Database(path);
    db.exec('DROP INDEX posts_parent; ALTER TABLE posts DROP COLUMN parent_id;');
    db.pragma('user_version = 1');
    db.close();
    const b = new EmbeddedSearchIndex(path);
    expect((await b.search(parseQuery(searchQuerySchema, { parent: 'vk:-1_1' }))).items.map((h) => h.id)).toEqual(['vk:-1_1_c1']);
    await b.close();
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    after.close();
  });

  it('an index made before the full-text table was contentless keeps working: found and replaced', async () => {
    const path = fresh();
    // What an engine of the previous version created: the words kept in the full-text table too.
    const db = new Database(path);
    db.exec("CREATE VIRTUAL TABLE posts_fts USING fts5(stems, words, tokenize = 'unicode61 remove_diacritics 0', detail = 'full')");
    db.close();
    const a = new EmbeddedSearchIndex(path);
    await a.indexPosts([doc({ id: 'vk:-1_1', text: 'Яма на Садовой', at: '2026-11-16T08:00:00Z' })]);
    await a.indexPosts([doc({ id: 'vk:-1_1', text: 'Ремонт на Садовой закончен', at: '2026-11-16T08:00:00Z', revision: 'r2', capturedAt: '2026-11-17T08:00:00Z' })]);
    expect((await a.search(parseQuery(searchQuerySchema, { q: 'яма' }))).total).toBe(0);
    expect((await a.search(parseQuery(searchQuerySchema, { q: 'ремонт' }))).items.map((h) => h.id)).toEqual(['vk:-1_1']);
    await a.close();
    const after = new Database(path, { readonly: true });
    expect((after.prepare("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'").get() as { sql: string }).sql).not.toContain('contentless');
    expect((after.prepare('SELECT stems FROM posts_fts').get() as { stems: string }).stems).toContain('ремонт');
    after.close();
  });

  it('a new index keeps no copy of the words in its full-text table', async () => {
    const path = fresh();
    const a = new EmbeddedSearchIndex(path);
    await a.indexPosts([doc({ id: 'vk:-1_1', text: 'Яма на Садовой', at: '2026-11-16T08:00:00Z' })]);
    await a.close();
    const after = new Database(path, { readonly: true });
    expect((after.prepare('SELECT stems, words FROM posts_fts').get() as { stems: string | null; words: string | null })).toEqual({ stems: null, words: null });
    expect((after.prepare('SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH ?').get('сад*') as { n: number }).n).toBe(1);
    after.close();
  });

  it('an index of schema 2 (no quality columns) is migrated in place: incidents already there are judged for the ratings', async () => {
    const path = fresh();
    const a = new EmbeddedSearchIndex(path);
    const answered = answeredIncident('inc_q1', 'city-roads', 'Ваше обращение принято и будет рассмотрено в установленный срок.');
    await a.indexIncidents([{ incident: answered, events: [] }]);
    await a.indexPosts([doc({ id: 'vk:-1_1', text: 'Яма', at: '2026-11-16T08:00:00Z', topic: 'roads' }), doc({ id: 'vk:-1_2', text: 'Снег', at: '2026-11-17T08:00:00Z', topic: 'snow' })]);
    await a.close();
    const db = new Database(path);
    db.exec('DROP TABLE post_days; DROP TABLE post_dims');
    db.exec('ALTER TABLE incidents DROP COLUMN q_answers; ALTER TABLE incidents DROP COLUMN q_formal; ALTER TABLE incidents DROP COLUMN q_verdict; ALTER TABLE incidents DROP COLUMN q_reopenings; ALTER TABLE incidents DROP COLUMN q_returned;');
    db.pragma('user_version = 2');
    db.close();
    const b = new EmbeddedSearchIndex(path);
    const [row] = await b.sla(parseQuery(slaQuerySchema, {}), new Date('2026-11-20T00:00:00Z'));
    expect(row?.quality).toMatchObject({ incidents: 1, answers: 1, formal: 1, formalShare: 1, reopened: 1 });
    // The posts' daily counts are made from the posts already there.
    expect((await b.trends(parseQuery(trendQuerySchema, { interval: 'month', by: 'topic' }))).map((t) => t.by)).toEqual([{ roads: 1, snow: 1 }]);
    expect((await b.search(parseQuery(searchQuerySchema, { topic: 'snow', size: 1 }))).total).toBe(1);
    // And their narrow copy, which counts and groups the matches of words.
    expect(await b.terms(parseQuery(termsQuerySchema, { field: 'topic', q: 'яма' }))).toEqual([{ key: 'roads', count: 1 }]);
    await b.close();
  });

  it('a word in most posts: the newest page walks the date index and is the same page counting every match gives', async () => {
    const idx = new EmbeddedSearchIndex(fresh(), { readers: 0 });
    const start = Date.parse('2026-11-01T00:00:00Z');
    // Written out of date order, so insertion order is not the answer.
    const specs = Array.from({ length: 1500 }, (_, i) => ({ i, at: new Date(start + ((i * 7919) % 1500) * 60_000).toISOString() }));
    await idx.indexPosts(specs.map(({ i, at }) => doc({ id: `vk:-1_${i}`, text: i % 3 === 0 ? 'Яма на дороге у дома' : 'Яма во дворе', at, territory: i % 2 === 0 ? 'Сосновка' : 'Энск' })));
    const newest = [...specs].sort((a, b) => b.at.localeCompare(a.at) || `vk:-1_${a.i}`.localeCompare(`vk:-1_${b.i}`));
    const page = async (raw: Record<string, string>) => (await idx.search(parseQuery(searchQuerySchema, raw))).items.map((h) => h.id);
    expect(await page({ q: 'яма', size: '20' })).toEqual(newest.slice(0, 20).map((x) => `vk:-1_${x.i}`));
    expect(await page({ q: 'яма', size: '20', page: '3' })).toEqual(newest.slice(40, 60).map((x) => `vk:-1_${x.i}`));
    expect((await idx.search(parseQuery(searchQuerySchema, { q: 'яма', size: '1' }))).total).toBe(1500);
    // With a filter the walk tests both; oldest first and a rarer word take the plain join.
    const sosnovka = newest.filter((x) => x.i % 2 === 0);
    expect(await page({ q: 'яма', territory: 'Сосновка', size: '5' })).toEqual(sosnovka.slice(0, 5).map((x) => `vk:-1_${x.i}`));
    expect((await idx.search(parseQuery(searchQuerySchema, { q: 'яма', territory: 'Сосновка', size: '1' }))).total).toBe(750);
    expect(await page({ q: 'дороге', sort: 'oldest', size: '3' })).toEqual([...newest].reverse().filter((x) => x.i % 3 === 0).slice(0, 3).map((x) => `vk:-1_${x.i}`));
    await idx.close();
  });

  it('hostile query text cannot reach SQL or FTS syntax', async () => {
    const idx = new EmbeddedSearchIndex(fresh());
    await idx.indexPosts([doc({ id: 'vk:-1_1', text: 'Яма на дороге', at: '2026-11-16T08:00:00Z' })]);
    for (const q of [`яма' OR 1=1 --`, 'NEAR(яма дорога)', 'stems:яма*', 'яма ""', 'яма; DROP TABLE posts;', '*', 'яма OR """"']) {
      // Either a clear 400-class error or an ordinary result: never an SQL/FTS error or a leak.
      try {
        const r = await idx.search(parseQuery(searchQuerySchema, { q }));
        expect(r.total).toBeLessThanOrEqual(1);
      } catch (e) {
        expect(e).toMatchObject({ code: 'SEARCH_QUERY_INVALID' });
      }
    }
    expect((await idx.search(parseQuery(searchQuerySchema, {}))).total).toBe(1);
    await idx.close();
  });
});
