import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startEngine } from '../../../src/roles/engine.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { StatsStore } from '../../../src/adapters/redis/stats.store.js';
import type { DeadLetter } from '../../../src/pipeline/dead-letter.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus } from '../../helpers/corpus.js';
import { waitFor } from '../../helpers/wait.js';
import { unpackPost, type PostColumns } from '../../../src/adapters/search/embedded/stored-post.js';

const t = useTestRedis();

const vk = (id: number, text: string) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -7, from_id: 1234567, date: 1763730000 + id, text } });

function storedPosts(path: string): Record<string, Record<string, unknown>> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries((db.prepare('SELECT * FROM posts').all() as PostColumns[]).map((r) => [r.id, unpackPost(r).post as unknown as Record<string, unknown>]));
  } finally {
    db.close();
  }
}

describe('personal data retention', () => {
  it('the leading scheduler purges authors and raw payloads past PERSONAL_DATA_RETENTION_DAYS from the index and the dead letters, once', async () => {
    const prefix = freshPrefix();
    const keys = new RedisKeys(prefix);
    const index = join(mkdtempSync(join(tmpdir(), 'otklik-retention-')), 'index.sqlite');
    const lines = [vk(1, 'Яма на дороге у школы, машины бьют колёса'), vk(2, 'Спасибо за новую остановку!'), '{"platform":"vk","kind":"post","item":{"id":"not a number","from_id":1234567}}'];
    const base = { REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), EMBEDDED_INDEX_PATH: index, PERSONAL_DATA_RETENTION_DAYS: '30' };

    // Today: the posts go through and keep their authors; nothing is old enough to purge.
    const today = await startEngine({ config: testConfig(base), log: silentLog });
    await waitForCounts(t.redis, prefix, (c) => c.completed >= 2 && c.deadLetters >= 1);
    await waitFor(async () => (await t.redis.get(`${keys.prefix}:retention:personal-data`)) !== null);
    const [letter] = (await today.queues.deadLetter.getWaiting()).map((j) => j.data as DeadLetter);
    await today.stop();
    expect(storedPosts(index)['vk:-7_1']).toMatchObject({ author: { id: '1234567' } });
    expect(JSON.stringify(letter?.payload)).toContain('1234567');

    // Forty days on, the scheduler that leads sweeps at once.
    const later = new Date(Date.now() + 40 * 86_400_000);
    const engine = await startEngine({ config: testConfig(base), log: silentLog, now: () => later });
    try {
      await waitFor(async () => (await engine.queues.deadLetter.getWaiting()).every((j) => (j.data as DeadLetter).purgedAt !== undefined));
      const posts = storedPosts(index);
      for (const id of ['vk:-7_1', 'vk:-7_2']) {
        expect(posts[id]).toMatchObject({ author: null });
        expect(JSON.stringify(posts[id])).not.toContain('1234567');
      }
      expect(posts['vk:-7_1']?.text).toBe('Яма на дороге у школы, машины бьют колёса');
      const [purged] = (await engine.queues.deadLetter.getWaiting()).map((j) => j.data as DeadLetter);
      // The raw line is gone; where and why it failed stays.
      expect(purged).toMatchObject({ stage: 'poll', payload: null, error: { code: letter?.error.code } });
      expect(Date.parse(await t.redis.get(`${keys.prefix}:retention:personal-data`) ?? '')).toBeGreaterThan(Date.now());
      const counted = (await new StatsStore(t.redis, keys).counters()).filter((c) => c.name === 'otklik_personal_data_purged_total');
      expect(Object.fromEntries(counted.map((c) => [c.labels.store, c.value]))).toEqual({ search: 2, dead_letters: 1 });
    } finally {
      await engine.stop();
    }
  });
});
