import { StatsStore } from '../src/adapters/redis/stats.store.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/log.js';
import { startPrivateRedis } from '../src/adapters/redis/redis-server.js';
import { RedisKeys } from '../src/adapters/redis/keys.js';
import { PipelineQueues } from '../src/pipeline/queues.js';
import { DeadLetters } from '../src/pipeline/dead-letter.js';
import { loadRules } from '../src/roles/rules.js';
import { wireIncidents } from '../src/roles/incidents.js';
import { percentile } from '../src/core/numbers.js';
import type { Incident } from '../src/core/incident/incident.js';
import type { AuditEvent } from '../src/core/incident/lifecycle.js';

export interface TimerFigures {
  timers_open_incidents: number;
  timers_plan_per_s: number;
  timers_fire_lateness_p50_ms: number;
  timers_fire_lateness_p99_ms: number;
  timers_fire_lateness_max_ms: number;
  timers_within_1s_pct: number;
}

/**
 * `n` open incidents, each with one running 24/7 clock due at a different moment over `spreadS`
 * seconds; the timers are planned through the real scheduler, fired by the real worker and
 * service, and each breach's lateness (audit time − due time) is measured.
 */
export async function benchTimers(n: number, spreadS: number): Promise<TimerFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-bench-timers-'));
  const redisServer = await startPrivateRedis({ bin: 'redis-server', dataDir: dir, appendfsync: 'everysec' });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const prefix = '{tbench}';
  const routing = join(dir, 'routing.json');
  writeFileSync(
    routing,
    JSON.stringify({
      version: 1,
      fallbackBody: 'ops',
      slaPolicies: { drill: { normal: { firstResponse: 'calendar-time:1', finalAnswer: 'calendar-time:1' }, high: { firstResponse: 'calendar-time:1', finalAnswer: 'calendar-time:1' }, warnAt: [] } },
      bodies: [{ id: 'ops', name: 'ops', timeZone: 'Europe/Moscow', calendar: '24x7', sla: 'drill' }],
      routes: [],
    }),
  );
  const config = loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: redisServer.url, QUEUE_PREFIX: prefix, ROUTING_FILE: routing });
  const log = createLogger(config);
  const keys = new RedisKeys(prefix);
  const queues = new PipelineQueues(redis, prefix);
  const rules = loadRules(config);
  const planner = wireIncidents({ config, log, redis, keys, queues, deadLetters: new DeadLetters(queues.deadLetter), counters: new StatsStore(redis, keys), rules, now: () => new Date(), withWorkers: false });
  try {
    // Incidents already routed, clocks due from `lead` seconds from now on, spread evenly.
    const lead = 20 + n / 4000;
    const t0 = Date.now() + lead * 1000;
    const made: Incident[] = [];
    for (let i = 0; i < n; i++) {
      const due = t0 + Math.floor((i * spreadS * 1000) / n);
      const startedAt = new Date(due - 60_000).toISOString();
      made.push({
        id: `inc_b${i}`, status: 'routed', version: 2, postIds: [`vk:-1_${i}`], topic: 'roads', proposedBodyId: 'ops', routeReason: 'bench', bodyId: 'ops',
        priority: 'normal', sentiment: { label: 'negative', score: -1 }, type: 'complaint', createdAt: startedAt, updatedAt: startedAt,
        clocks: [{ id: 'first_response.body.1', kind: 'first_response', scope: 'body', bodyId: 'ops', policy: 'calendar-time:1', startedAt, pauses: [], dueAt: new Date(due).toISOString(), provisional: false, warnAt: [], warningsFired: [] }],
        answers: [], reroutes: [],
      });
    }
    for (let i = 0; i < made.length; i += 200) {
      await planner.store.commit(made.slice(i, i + 200).map((incident) => ({ incident, expectedVersion: 0, events: [] })));
    }
    const planStart = performance.now();
    for (let i = 0; i < made.length; i += 200) await Promise.all(made.slice(i, i + 200).map((inc) => planner.timers.replan(inc)));
    const planRate = Math.round(n / ((performance.now() - planStart) / 1000));
    if (Date.now() > t0) throw new Error('planning took longer than the lead time; raise the lead');

    const worker = wireIncidents({ config, log, redis, keys, queues, deadLetters: new DeadLetters(queues.deadLetter), counters: new StatsStore(redis, keys), rules, now: () => new Date(), withWorkers: true });
    const firing = worker.workers.filter((w) => w.name === 'timers');
    for (const w of worker.workers) if (w.name !== 'timers') await w.close();
    try {
      const lateness: number[] = [];
      let lastId = '-';
      const deadline = t0 + spreadS * 1000 + 60_000;
      while (lateness.length < n && Date.now() < deadline) {
        const entries = await redis.xrange(keys.eventStream(), lastId === '-' ? '-' : `(${lastId}`, '+', 'COUNT', 5000);
        for (const [id, fields] of entries) {
          lastId = id;
          const e = JSON.parse(fields[3] ?? '{}') as AuditEvent;
          if (e.action === 'clock_due') lateness.push(Date.parse(e.at) - Date.parse(String(e.details.dueAt)));
        }
        if (entries.length === 0) await sleep(200);
      }
      const within = lateness.filter((l) => l <= 1000).length;
      return {
        timers_open_incidents: n,
        timers_plan_per_s: planRate,
        timers_fire_lateness_p50_ms: percentile(lateness, 0.5) ?? -1,
        timers_fire_lateness_p99_ms: percentile(lateness, 0.99) ?? -1,
        timers_fire_lateness_max_ms: lateness.length > 0 ? Math.max(...lateness) : -1,
        timers_within_1s_pct: Math.round((within / n) * 10_000) / 100,
      };
    } finally {
      await Promise.all(firing.map((w) => w.close()));
    }
  } finally {
    await queues.close();
    await redis.quit();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
