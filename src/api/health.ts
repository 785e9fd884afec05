import type { Redis } from 'ioredis';
import type { PipelineQueues, QueueDepth } from '../pipeline/queues.js';
import type { SourceHealth, SourceHealthStore } from '../ports/source-health.js';
import type { Stats } from '../ports/stats.js';
import type { SearchBackendStatus, SearchIndex } from '../ports/search-index.js';
import type { ModelsStatus } from '../learning/models-status.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  role: string;
  uptimeS: number;
  redis: { ok: boolean; mode: 'private' | 'external'; latencyMs?: number; error?: string };
  /** The scheduler process that leads (host:pid:…); absent when none does — nothing then sets schedules. */
  schedulerLeader?: string;
  queues: Record<string, QueueDepth>;
  stats: Record<string, number>;
  sources: SourceHealth[];
  search: SearchBackendStatus;
  /** The models in force: shipped or retrained from moderators' decisions, with their quality. */
  models?: Omit<ModelsStatus, 'retrainings'> & { lastRetraining?: ModelsStatus['retrainings'][number] };
}

export interface HealthDeps {
  role: string;
  redis: Redis;
  redisMode: 'private' | 'external';
  leaderKey: string;
  queues: PipelineQueues;
  sourceIds: readonly string[];
  sourceHealth: SourceHealthStore;
  stats: Stats;
  search: SearchIndex;
  startedAt: number;
  models?: () => Promise<ModelsStatus>;
}

/** Up or down, for probes: Redis answers a ping within two seconds. */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  return withTimeout(redis.ping(), 2000).then(
    () => true,
    () => false,
  );
}

/** Gathers what an operator needs at a glance; never throws (a down Redis is a report, not a 500). */
export async function healthReport(d: HealthDeps): Promise<HealthReport> {
  const uptimeS = Math.round((Date.now() - d.startedAt) / 1000);
  const search = await d.search.status().catch((e: unknown) => ({ backend: d.search.backend, configured: true, ok: false, message: String(e) }));
  const started = Date.now();
  try {
    await withTimeout(d.redis.ping(), 2000);
  } catch (e) {
    return {
      status: 'degraded',
      role: d.role,
      uptimeS,
      redis: { ok: false, mode: d.redisMode, error: (e as Error).message },
      queues: {},
      stats: {},
      sources: [],
      search,
    };
  }
  const latencyMs = Date.now() - started;
  const [leader, queues, stats, sources, models] = await Promise.all([
    d.redis.get(d.leaderKey),
    d.queues.depths(),
    d.stats.all(),
    Promise.all(d.sourceIds.map((id) => d.sourceHealth.get(id))),
    d.models ? d.models().catch(() => undefined) : undefined,
  ]);
  return {
    status: search.ok ? 'ok' : 'degraded',
    role: d.role,
    uptimeS,
    redis: { ok: true, mode: d.redisMode, latencyMs },
    ...(leader ? { schedulerLeader: leader } : {}),
    queues,
    stats,
    sources,
    search,
    ...(models ? { models: summary(models) } : {}),
  };
}

function summary(m: ModelsStatus): NonNullable<HealthReport['models']> {
  const { retrainings, ...rest } = m;
  return { ...rest, ...(retrainings[0] ? { lastRetraining: retrainings[0] } : {}) };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        res(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        rej(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
