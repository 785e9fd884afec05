import { describe, expect, it } from 'vitest';
import { packPost, unpackPost, type PostColumns } from '../../../../../src/adapters/search/embedded/stored-post.js';
import { doc } from '../../../../helpers/search-conformance.js';
import type { IndexedPost } from '../../../../../src/ports/search-index.js';

describe('the embedded index\'s stored post', () => {
  const indexed: IndexedPost = (() => {
    const d = doc({ id: 'vk:-1_1', text: 'На улице Ленина огромная яма, колёса пробиты', at: '2026-11-16T08:00:00Z', topic: 'roads', sentiment: 'negative', type: 'complaint', territory: 'Энск', incidentId: 'inc_a' });
    return { ...d, post: { ...d.post, createdAt: '2026-11-16T08:00:00.000Z', capturedAt: '2026-11-16T08:01:00.000Z', permalink: 'https://vk.com/wall-1_1', raw: { from_id: 5 } }, classification: { ...d.classification, explain: ['topic roads by rules 3: «яма»'], fingerprint: 'ab'.repeat(256) } };
  })();
  // The row as writePosts fills it.
  const row = (d: IndexedPost, packed = packPost(d)): PostColumns => ({
    id: d.post.id, revision: d.post.revision, platform: d.post.platform, source: d.post.sourceId, permalink: d.post.permalink ?? null,
    created_at: Date.parse(d.post.createdAt), captured_at: Date.parse(d.post.capturedAt), text: d.post.text, doc: packed,
  });
  const { explain: _e, fingerprint: _f, ...judged } = indexed.classification;

  it('leaves out what the row\'s columns hold, the explanation and the fingerprint', () => {
    const stored = packPost(indexed);
    for (const left of ['Ленина', indexed.post.id, indexed.post.revision, 'vk.com', 'explain', 'fingerprint', 'createdAt', 'capturedAt', 'sourceId']) expect(stored).not.toContain(left);
    expect(JSON.parse(stored)).toMatchObject({ post: { kind: 'post', raw: { from_id: 5 } }, classification: { sentiment: { label: 'negative' } } });
  });

  it('reads back what was indexed from the document and the row', () => {
    expect(unpackPost(row(indexed))).toEqual({ ...indexed, classification: judged });
  });

  it('keeps a time whose column would not give back the same string', () => {
    const coarse = { ...indexed, post: { ...indexed.post, createdAt: '2026-11-16T08:00:00Z' } };
    expect(packPost(coarse)).toContain('"createdAt":"2026-11-16T08:00:00Z"');
    expect(unpackPost(row(coarse)).post.createdAt).toBe('2026-11-16T08:00:00Z');
  });

  it('reads a document written before the fields moved out', () => {
    const old = JSON.stringify({ ...indexed, classification: judged });
    expect(unpackPost(row(indexed, old))).toEqual({ ...indexed, classification: judged });
  });
});
