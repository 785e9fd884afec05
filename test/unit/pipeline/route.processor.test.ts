import { describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { join } from 'node:path';
import { loadClassifier } from '../../../src/roles/rules.js';
import { loadConfig } from '../../../src/config/config.js';
import { analyzePosts } from '../../../src/pipeline/analyze.stage.js';
import { createRouteProcessor } from '../../../src/pipeline/route.processor.js';
import { droppedDeadLetters, memoryStageQueues } from '../../helpers/stage-fakes.js';
import type { IndexJob } from '../../../src/pipeline/payloads.js';
import type { Proposal } from '../../../src/incidents/intake.js';
import { Router, routingRulesSchema } from '../../../src/core/routing/router.js';
import { fixedRouter } from '../../../src/routing/live-router.js';
import { loadJsonRules } from '../../../src/adapters/files/json-rules.js';
import { projectRoot } from '../../../src/paths.js';
import { normalizeVkPost } from '../../../connectors/vk/normalize.js';

const classifier = loadClassifier(loadConfig({}));
const router = new Router(loadJsonRules(join(projectRoot, 'rules/routing.json'), routingRulesSchema));
const now = new Date('2026-11-21T10:00:00Z');
const ctx = { sourceId: 's', capturedAt: '2026-11-21T09:59:58.000Z', territory: 'Энск' };

describe('the route worker', () => {
  it('hands intake each alert with its fingerprint, and index the batch without it (nothing reads it there)', async () => {
    const { queues, added } = memoryStageQueues();
    const taken: Proposal[] = [];
    const processor = createRouteProcessor({
      log: pino({ level: 'silent' }),
      queues,
      deadLetters: droppedDeadLetters(),
      router: fixedRouter(router),
      intake: { take: async (ps) => (taken.push(...ps), ps.map((p) => ({ incidentId: p.incident.id, opened: true, attached: false }))) },
      stats: { count: async () => {}, recordLatencies: async () => {} },
      now: () => now,
    });
    const { analyzed } = analyzePosts([normalizeVkPost({ id: 1, owner_id: -1, from_id: 2, date: 1763730000, text: 'Яма на дороге у дома 5 по улице Садовой, колёса пробиты, сделайте что-нибудь' }, ctx)], classifier, now);
    expect(analyzed[0]?.classification.fingerprint).toMatch(/^[0-9a-f]{16,}/);
    await processor({ id: 'rt.an.s.1', data: { items: analyzed }, opts: { attempts: 1 }, attemptsMade: 0 } as unknown as Job);
    expect(taken.map((p) => p.fingerprint)).toEqual([analyzed[0]?.classification.fingerprint]);
    const index = added.find((a) => a.stage === 'index');
    expect(index?.jobId).toBe('ix.rt.an.s.1');
    const item = (index?.data as IndexJob).items[0];
    expect(item?.incidentId).toBe(taken[0]?.incident.id);
    expect(item?.classification.alert).toBe(true);
    expect(item?.classification).not.toHaveProperty('fingerprint');
    expect(item?.classification.explain.length).toBeGreaterThan(0);
  });
});
