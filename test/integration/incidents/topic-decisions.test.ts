import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import { IncidentStore } from '../../../src/adapters/redis/incident.store.js';
import { LabelStore } from '../../../src/adapters/redis/label.store.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import type { Actor } from '../../../src/core/incident/lifecycle.js';
import { labelledPostSchema } from '../../../src/training/examples.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus } from '../../helpers/corpus.js';

const t = useTestRedis();
const anna: Actor = { id: 'mod-anna', role: 'moderator' };
const post = (id: number, text: string) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -7, from_id: 5, date: 1763730000 + id, text } });

describe("moderators' topic decisions become training data", () => {
  it('accepting confirms a topic, reclassifying corrects it; the export has the text and the latest topic per incident', async () => {
    const prefix = freshPrefix();
    const engine = await startEngine({
      config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus([post(1, 'На Садовой огромная яма, колесо пробил'), post(2, 'Во дворе сугробы по колено, дворника нет неделю')]) }),
      log: silentLog,
    });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 2);
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      const alerts = await store.getMany(await store.idsByStatus('alert'));
      const road = alerts.find((i) => i.topic === 'roads')!;
      const snow = alerts.find((i) => i.topic === 'snow')!;
      expect(road.text).toBe('На Садовой огромная яма, колесо пробил');
      await engine.incidents.act(road.id, { type: 'accept' }, anna);
      await engine.incidents.act(snow.id, { type: 'reclassify', topic: 'landscaping.yards' }, anna);
      await engine.incidents.act(snow.id, { type: 'reclassify', topic: 'snow.yards' }, anna);
      // Other actions are not topic decisions.
      await engine.incidents.act(snow.id, { type: 'set_priority', priority: 'high' }, anna);
      const exported = await new LabelStore(t.redis, new RedisKeys(prefix)).export();
      expect(exported).toEqual([
        // Accepted: routed, so also a routing decision (the body and the place it answers for).
        { text: 'На Садовой огромная яма, колесо пробил', topic: 'roads', subtopic: 'roads.potholes', body: 'city-roads', territory: 'г. Энск, Северный район', origin: 'moderator:mod-anna' },
        // Reclassified while still an alert: no body yet.
        { text: 'Во дворе сугробы по колено, дворника нет неделю', topic: 'snow', subtopic: 'snow.yards', territory: 'г. Энск', origin: 'moderator:mod-anna' },
      ]);
      for (const e of exported) expect(labelledPostSchema.safeParse(e).success).toBe(true);
    } finally {
      await engine.stop();
    }
  });
});
