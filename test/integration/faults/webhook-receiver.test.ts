import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { IncidentStore } from '../../../src/adapters/redis/incident.store.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { StatsStore } from '../../../src/adapters/redis/stats.store.js';
import type { Actor } from '../../../src/core/incident/lifecycle.js';
import type { DeadLetter } from '../../../src/pipeline/dead-letter.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus } from '../../helpers/corpus.js';
import { eventually } from '../../helpers/wait.js';

const t = useTestRedis();
const moderator: Actor = { id: 'mod-anna', role: 'moderator' };
const responder: Actor = { id: 'resp-ops', role: 'responder', bodyId: 'ops' };

/**
 * A receiver that misbehaves on a script: each request takes the next behaviour (`hang` keeps the
 * connection open and never answers, `reset` cuts it, a number answers with that status), the last
 * one repeats. Hung responses are ended when the test ends.
 */
type Behaviour = 'hang' | 'reset' | number;
let server: Server;
let url = '';
let script: Behaviour[] = [204];
const hung: ServerResponse[] = [];
const log: { path: string; delivery: string; behaviour: Behaviour }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const behaviour = script.length > 1 ? (script.shift() as Behaviour) : (script[0] as Behaviour);
      log.push({ path: req.url ?? '', delivery: String(req.headers['x-otklik-delivery'] ?? ''), behaviour });
      if (behaviour === 'hang') hung.push(res);
      else if (behaviour === 'reset') req.socket.destroy();
      else res.writeHead(behaviour).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function routing(path: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'otklik-routing-')), 'routing.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      fallbackBody: 'ops',
      slaPolicies: { day: { normal: { firstResponse: 'calendar-time:1440', finalAnswer: 'calendar-time:10080' }, high: { firstResponse: 'calendar-time:1440', finalAnswer: 'calendar-time:10080' } } },
      bodies: [{ id: 'ops', name: 'Дежурная служба', timeZone: 'Europe/Moscow', calendar: '24x7', sla: 'day', notify: { webhookUrl: `${url}${path}` } }],
      routes: [{ topic: 'roads', body: 'ops' }],
    }),
  );
  return file;
}

const post = (id: number, text: string) => JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -7, from_id: 5, date: 1763730000 + id, text } });

async function engineFor(prefix: string, path: string): Promise<Engine> {
  const engine = await startEngine({
    config: testConfig({
      REDIS_URL: t.server.url,
      QUEUE_PREFIX: prefix,
      DEMO_CORPUS: writeCorpus([post(1, 'Яма на дороге у остановки, машины бьют колёса, ужас')]),
      ROUTING_FILE: routing(path),
      NOTIFY_TIMEOUT_MS: '300',
      NOTIFY_ATTEMPTS: '5',
      NOTIFY_BACKOFF_MS: '100',
      PIPELINE_LOCK_MS: '1000',
    }),
    log: silentLog,
  });
  await waitForCounts(t.redis, prefix, (c) => c.completed >= 1);
  return engine;
}

async function onlyAlert(prefix: string) {
  const store = new IncidentStore(t.redis, new RedisKeys(prefix));
  const [id] = await store.idsByStatus('alert');
  return store.require(id ?? '');
}

async function counter(prefix: string, name: string): Promise<number> {
  return (await new StatsStore(t.redis, new RedisKeys(prefix)).counters()).filter((c) => c.name === name).reduce((n, c) => n + c.value, 0);
}

describe('webhook receivers that hang or refuse', () => {
  it('hangs twice, resets, answers 503, then 204: delivered once on the fifth try; the incident moves on meanwhile', async () => {
    const prefix = freshPrefix();
    script = ['hang', 'hang', 'reset', 503, 204];
    log.length = 0;
    const engine = await engineFor(prefix, '/flaky');
    try {
      const alert = await onlyAlert(prefix);
      // The moderator and the responder act while the receiver misbehaves: nothing waits for it.
      await engine.incidents.act(alert.id, { type: 'accept' }, moderator);
      const taken = await engine.incidents.act(alert.id, { type: 'take' }, responder);
      expect(taken.status).toBe('in_progress');
      const delivered = await eventually(async () => log.find((l) => l.behaviour === 204), 20_000, 'a delivery');
      const tries = log.filter((l) => l.delivery === delivered.delivery);
      expect(tries.map((l) => l.behaviour)).toEqual(['hang', 'hang', 'reset', 503, 204]);
      // Delivered once: no further request for it, nothing dead-lettered.
      await new Promise((r) => setTimeout(r, 1000));
      expect(log.filter((l) => l.delivery === delivered.delivery)).toHaveLength(5);
      expect(await engine.queues.deadLetter.getWaitingCount()).toBe(0);
      expect(await counter(prefix, 'otklik_notifications_delivered_total')).toBe(1);
      expect(await counter(prefix, 'otklik_notification_failures_total')).toBe(4);
    } finally {
      await engine.stop();
    }
  });

  it('a receiver that never recovers: its delivery is dead-lettered after its attempts with the reason; incidents are unaffected', async () => {
    const prefix = freshPrefix();
    script = ['hang', 'reset', 502];
    log.length = 0;
    const engine = await engineFor(prefix, '/dead');
    try {
      const alert = await onlyAlert(prefix);
      await engine.incidents.act(alert.id, { type: 'accept' }, moderator);
      const [dead] = await eventually(async () => {
        const jobs = await engine.queues.deadLetter.getWaiting();
        return jobs.length > 0 ? jobs.map((j) => j.data as DeadLetter) : undefined;
      }, 20_000, 'a dead letter');
      expect(dead).toMatchObject({ stage: 'notify', attempts: 5, error: { code: 'NOTIFY_FAILED' } });
      expect(dead?.error.message).toContain('answered 502');
      expect(log.filter((l) => l.path === '/dead')).toHaveLength(5);
      // The incident went on regardless, and can still be worked.
      const taken = await engine.incidents.act(alert.id, { type: 'take' }, responder);
      expect(taken.status).toBe('in_progress');
      expect(await counter(prefix, 'otklik_notifications_delivered_total')).toBe(0);
    } finally {
      await engine.stop();
    }
  });
});
