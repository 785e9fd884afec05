import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedSearchIndex } from '../../../../src/adapters/search/embedded.search-index.js';
import { parseQuery, searchQuerySchema } from '../../../../src/core/search/query.js';
import { doc, searchConformance } from '../../../helpers/search-conformance.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'otklik-search-')), 'index.sqlite');

searchConformance('embedded (SQLite FTS5)', async () => new EmbeddedSearchIndex(fresh()));

describe('embedded index on disk', () => {
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
