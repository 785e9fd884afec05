import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedSearchIndex } from '../../../../../src/adapters/search/embedded/embedded.search-index.js';
import { parseQuery, searchQuerySchema } from '../../../../../src/core/search/query.js';
import { doc } from '../../../../helpers/search-conformance.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'otklik-readers-')), 'index.sqlite');
const q = (raw: Record<string, unknown> = {}) => parseQuery(searchQuerySchema, raw);

describe('embedded index readers (threads off the event loop)', () => {
  it('many reads at once on two readers all come back, with what the writer wrote', async () => {
    const idx = new EmbeddedSearchIndex(fresh(), { readers: 2 });
    try {
      await idx.indexPosts(Array.from({ length: 30 }, (_, i) => doc({ id: `vk:-1_${i}`, text: `Яма номер ${i} на дороге`, at: '2026-11-16T08:00:00Z' })));
      const results = await Promise.all(Array.from({ length: 12 }, () => idx.search(q({ q: 'яма' }))));
      expect(results.every((r) => r.total === 30)).toBe(true);
    } finally {
      await idx.close();
    }
  });

  it('a read over its time budget is stopped and refused; the next read gets a fresh reader', async () => {
    // 1 ms is less than any read takes (a reader even has to start): the budget always runs out.
    const tight = new EmbeddedSearchIndex(fresh(), { readers: 1, queryTimeoutMs: 1 });
    try {
      await expect(tight.search(q())).rejects.toMatchObject({ code: 'SEARCH_QUERY_TIMEOUT', httpStatus: 503, message: expect.stringMatching(/narrow it/) });
      await expect(tight.search(q())).rejects.toMatchObject({ code: 'SEARCH_QUERY_TIMEOUT' });
    } finally {
      await tight.close();
    }
  });

  it('a read whose caller went away is stopped, waiting or running, and the reader is free again', async () => {
    const idx = new EmbeddedSearchIndex(fresh(), { readers: 1 });
    try {
      const gone = new AbortController();
      const running = idx.search(q(), { signal: gone.signal });
      const waiting = idx.search(q(), { signal: gone.signal });
      gone.abort();
      await expect(running).rejects.toMatchObject({ code: 'SEARCH_QUERY_CANCELLED' });
      await expect(waiting).rejects.toMatchObject({ code: 'SEARCH_QUERY_CANCELLED' });
      expect((await idx.search(q())).total).toBe(0);
    } finally {
      await idx.close();
    }
  });
});
