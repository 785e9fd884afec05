import { describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { loadClassifier } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';
import { createAnalyzeProcessor } from '../../../src/pipeline/analyze.processor.js';
import { droppedDeadLetters, memoryStageQueues } from '../../helpers/stage-fakes.js';
import type { IndexJob, RouteJob } from '../../../src/pipeline/payloads.js';
import type { ClaimLedger } from '../../../src/ports/claim-ledger.js';
import { normalizeVkComment, normalizeVkPost } from '../../../connectors/vk/normalize.js';

const classifier = loadClassifier(loadConfig({}));
const now = new Date('2026-11-21T10:00:00Z');
const ctx = { sourceId: 's', capturedAt: '2026-11-21T09:59:59.000Z', territory: 'Энск' };

/** The analyze worker with its queues, ledger and stats in memory: what it hands on, to which stage, under which id. */
function analyzeWorker() {
  const { queues, added } = memoryStageQueues();
  const latencies: number[] = [];
  const admitted: ClaimLedger = { claim: async (_job, items) => items.map(() => true) } as ClaimLedger;
  const processor = createAnalyzeProcessor({
    log: pino({ level: 'silent' }),
    queues,
    deadLetters: droppedDeadLetters(),
    classifier: { current: async () => classifier },
    admitted,
    counters: { count: async () => {} },
    stats: { recordLatencies: async (_name, ms) => void latencies.push(...ms) },
    now: () => now,
  });
  return { processor, added, latencies };
}

describe('the analyze worker', () => {
  it('hands route the alerts and the replies, and sends the rest of the batch straight to index', async () => {
    const { processor, added, latencies } = analyzeWorker();
    const posts = [
      normalizeVkPost({ id: 1, owner_id: -1, from_id: 2, date: 1763730000, text: 'Яма на дороге у дома 5, колёса пробиты, сделайте что-нибудь' }, ctx),
      normalizeVkPost({ id: 2, owner_id: -1, from_id: 3, date: 1763730000, text: 'Всем доброе утро, хороших выходных' }, ctx),
      normalizeVkComment({ id: 3, owner_id: -1, post_id: 2, from_id: 4, date: 1763730000, text: 'Спасибо, красиво' }, ctx),
    ];
    const job = { id: 'an.s.abc', data: { sourceId: 's', posts }, opts: { attempts: 1 }, attemptsMade: 0 } as unknown as Job;
    await processor(job);
    const route = added.find((a) => a.stage === 'route');
    const index = added.find((a) => a.stage === 'index');
    expect(route?.jobId).toBe('rt.an.s.abc');
    expect((route?.data as RouteJob).items.map((i) => i.post.id)).toEqual(['vk:-1_1', 'vk:-1_c3']);
    expect((route?.data as RouteJob).items[0]?.classification.alert).toBe(true);
    // The ordinary post is decided here: it goes on with its decision time, under an id of its own.
    expect(index?.jobId).toBe('ix.an.s.abc');
    expect((index?.data as IndexJob).items.map((i) => [i.post.id, i.classification.alert, i.routedAt])).toEqual([['vk:-1_2', false, now.toISOString()]]);
    expect(latencies).toEqual([1000]);
    expect(added).toHaveLength(2);
  });

  it('adds no index job when every post needs routing, and no route job when none does', async () => {
    const alerts = analyzeWorker();
    await alerts.processor({ id: 'an.s.1', data: { sourceId: 's', posts: [normalizeVkPost({ id: 1, owner_id: -1, from_id: 2, date: 1763730000, text: 'Не горит фонарь у подъезда дома 7, темно и страшно' }, ctx)] }, opts: { attempts: 1 }, attemptsMade: 0 } as unknown as Job);
    expect(alerts.added.map((a) => a.stage)).toEqual(['route']);
    const quiet = analyzeWorker();
    await quiet.processor({ id: 'an.s.2', data: { sourceId: 's', posts: [normalizeVkPost({ id: 2, owner_id: -1, from_id: 2, date: 1763730000, text: 'Какой красивый закат сегодня над рекой' }, ctx)] }, opts: { attempts: 1 }, attemptsMade: 0 } as unknown as Job);
    expect(quiet.added.map((a) => a.stage)).toEqual(['index']);
  });
});
