import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EmbeddedSearchIndex } from '../../../../../src/adapters/search/embedded/embedded.search-index.js';
import { parseQuery, searchQuerySchema } from '../../../../../src/core/search/query.js';
import { doc, searchConformance } from '../../../../helpers/search-conformance.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'otklik-search-')), 'index.sqlite');

searchConformance('embedded (SQLite FTS5)', async () => new EmbeddedSearchIndex(fresh()));

describe('embedded index on disk', () => {
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
    const posts = Object.fromEntries((db.prepare('SELECT id, doc FROM posts').all() as { id: string; doc: string }[]).map((r) => [r.id, JSON.parse(r.doc) as { post: Record<string, unknown> }]));
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
    expect(after.pragma('user_version', { simple: true })).toBe(2);
    after.close();
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
