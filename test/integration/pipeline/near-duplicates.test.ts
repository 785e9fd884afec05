import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import { IncidentStore } from '../../../src/adapters/redis/incident.store.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import type { Actor } from '../../../src/core/incident/lifecycle.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus } from '../../helpers/corpus.js';

const t = useTestRedis();
const moderator: Actor = { id: 'mod-anna', role: 'moderator' };

const post = (owner: number, id: number, text: string) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: owner, from_id: 5, date: 1763730000 + id, text } });
const complaint = 'Во дворе дома 5 по Садовой третью неделю не вывозят мусор, контейнеры переполнены, крысы бегают по детской площадке';

async function allIncidents(prefix: string) {
  const store = new IncidentStore(t.redis, new RedisKeys(prefix));
  const ids = (await Promise.all(['alert', 'routed', 'rejected'].map((s) => store.idsByStatus(s as 'alert')))).flat();
  return { store, list: await store.getMany(ids) };
}

describe('near-duplicates on a real Redis', () => {
  it('the same complaint reposted in other communities joins the first incident; a different one, or the same words about another house, opens its own', async () => {
    const prefix = freshPrefix();
    const lines = [
      post(-7, 1, complaint),
      // Reposted with a hashtag and a link in another community, other word forms.
      post(-8, 2, `#Энск Репост! Во дворах дома 5 по Садовой третью неделю не вывозят мусор, контейнер переполнен, крысы бегают по детской площадке https://vk.com/wall-7_1`),
      post(-9, 3, 'На Речной не вывозят мусор уже месяц, контейнерную площадку завалили пакетами, запах на весь квартал'),
      post(-10, 4, complaint.replace('дома 5', 'дома 7')),
    ];
    const engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines) }), log: silentLog });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 4);
      const { store, list } = await allIncidents(prefix);
      expect(list).toHaveLength(3);
      expect(list.filter((i) => i.postIds.length === 1).map((i) => i.postIds[0]).sort()).toEqual(['vk:-10_4', 'vk:-9_3']);
      const joined = list.find((i) => i.postIds.length === 2);
      expect(joined?.postIds.sort()).toEqual(['vk:-7_1', 'vk:-8_2']);
      const trail = await store.events(joined?.id ?? '');
      expect(trail).toEqual([expect.objectContaining({ action: 'open' }), expect.objectContaining({ action: 'attach_duplicate', actor: expect.objectContaining({ id: 'near-duplicates' }), details: expect.objectContaining({ postIds: ['vk:-8_2'] }) })]);
      expect(trail[1]?.details.similarity).toBeGreaterThanOrEqual(0.6);
      // Both posts go to the search index as posts of the first incident.
      const indexed = (await engine.queues.byStage.index.getCompleted()).flatMap((j) => (j.data as { items?: { post: { id: string }; incidentId?: string }[] }).items ?? []);
      expect(indexed.filter((r) => r.incidentId === joined?.id).map((r) => r.post.id).sort()).toEqual(['vk:-7_1', 'vk:-8_2']);
    } finally {
      await engine.stop();
    }
  });

  it('a copy of an incident that was rejected opens a new alert; with detection off every copy does', async () => {
    const prefix = freshPrefix();
    const first = [post(-7, 1, complaint)];
    let engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(first) }), log: silentLog });
    await waitForCounts(t.redis, prefix, (c) => c.completed >= 1);
    const { list } = await allIncidents(prefix);
    await engine.incidents.act(list[0]?.id ?? '', { type: 'reject', reason: 'уже решено' }, moderator);
    await engine.stop();
    engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus([...first, post(-8, 2, complaint)]) }), log: silentLog });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 2);
      const after = (await allIncidents(prefix)).list;
      expect(after.map((i) => [i.status, i.postIds]).sort()).toEqual([
        ['alert', ['vk:-8_2']],
        ['rejected', ['vk:-7_1']],
      ]);
    } finally {
      await engine.stop();
    }

    const off = freshPrefix();
    engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: off, DUPLICATE_WINDOW_DAYS: '0', DEMO_CORPUS: writeCorpus([post(-7, 1, complaint), post(-8, 2, complaint)]) }), log: silentLog });
    try {
      await waitForCounts(t.redis, off, (c) => c.completed >= 2);
      expect((await allIncidents(off)).list).toHaveLength(2);
    } finally {
      await engine.stop();
    }
  });
});
