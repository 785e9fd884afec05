import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import { incidentIdFor } from '../../../src/core/incident/incident.js';
import type { Actor } from '../../../src/core/incident/lifecycle.js';
import { incidentQuality } from '../../../src/core/quality/incident-quality.js';
import { IncidentStore } from '../../../src/adapters/redis/incident.store.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus } from '../../helpers/corpus.js';
import { eventually } from '../../helpers/wait.js';
import { as, signIn } from '../../helpers/api.js';

const t = useTestRedis();
const moderator: Actor = { id: 'mod-anna', role: 'moderator' };
const responder: Actor = { id: 'resp-roads', role: 'responder', bodyId: 'city-roads' };

// Replay lines in VK's shapes (wall.get item, wall.getComments item), written for this test.
const OWNER = -210345003;
const AUTHOR = 287410001;
const post = (id: number, text: string) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: OWNER, from_id: AUTHOR, date: Math.floor(Date.now() / 1000) - 3600, post_type: 'post', text, comments: { count: 0 }, likes: { count: 0 }, reposts: { count: 0 } } });
const comment = (id: number, postId: number, from: number, text: string) =>
  JSON.stringify({ platform: 'vk', kind: 'comment', item: { id, owner_id: OWNER, post_id: postId, from_id: from, date: Math.floor(Date.now() / 1000), text, parents_stack: [], likes: { count: 0 } } });

describe('the residents answer back: the demo pipeline end to end', () => {
  it("an отписка is flagged, and the author's «так ничего и не сделали» under it outweighs a neighbour's thanks", async () => {
    const prefix = freshPrefix();
    const corpus = writeCorpus([post(7001, 'На улице Садовой у дома 12 огромная яма на дороге, машины бьют колёса, сделайте ремонт')]);
    const engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: corpus, DEMO_USERS: 'on' }), log: silentLog });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 1);
      const id = incidentIdFor(`vk:${OWNER}_7001`);
      const store = new IncidentStore(t.redis, new RedisKeys(prefix));
      expect((await store.require(id)).authorKey).toMatch(/^[\w+/-]{16}$/);
      await engine.incidents.act(id, { type: 'accept', bodyId: 'city-roads' }, moderator);
      const answered = await engine.incidents.act(id, { type: 'answer', kind: 'final', text: 'Ваше обращение принято, информация будет передана в подрядную организацию.' }, responder);
      expect(answered.status).toBe('answered_final');
      // The replies come after the answer: the source keeps reading the thread.
      await new Promise((r) => setTimeout(r, 1100));
      appendFileSync(corpus, `${comment(9001, 7001, 402850001, 'Спасибо, что откликнулись!')}\n${comment(9002, 7001, AUTHOR, 'Так ничего и не сделали, яма на месте')}\n`);
      const reacted = await eventually(async () => {
        const i = await store.require(id);
        return (i.reactions?.length ?? 0) >= 2 ? i : undefined;
      }, 20_000);
      expect(reacted.reactions?.map((r) => [r.verdict, r.byAuthor])).toEqual([
        ['satisfied', false],
        ['unsatisfied', true],
      ]);
      expect(incidentQuality(reacted)).toEqual({ answers: 1, formal: 1, verdict: 'unsatisfied', reopenings: 0, returned: 0 });
      // What the console and the ratings read.
      const analyst = as(engine.app!, { cookie: await signIn(engine.app!, 'analyst') });
      const view = (await analyst.get(`/incidents/${id}`)).json<{ incident: { answers: { quality: { verdict: string } }[]; satisfaction: { author: string; verdict: string } } }>();
      expect(view.incident.answers[0]?.quality.verdict).toBe('formal');
      expect(view.incident.satisfaction).toMatchObject({ author: 'unsatisfied', verdict: 'unsatisfied', satisfied: 1, unsatisfied: 1 });
    } finally {
      await engine.stop();
    }
  }, 60_000);
});
