import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Incident } from '../../core/incident/incident.js';
import { timerPoints, type ClockEnv, type TimerPoint } from '../../core/incident/clocks.js';
import type { TimerJob, TimerPlanner } from '../../ports/timers.js';
import type { RedisKeys } from '../redis/keys.js';

/** A timer's id names everything about it, so re-adding the same plan is a no-op (restart-safe). */
export function timerJobId(incidentId: string, p: TimerPoint): string {
  return `tm.${incidentId}.${p.clockId}.${p.kind}.${p.fraction ?? 'end'}.${Date.parse(p.at)}`;
}

/**
 * Warnings and breaches as BullMQ delayed jobs. `replan` makes the jobs of an incident match its
 * clocks: obsolete ones removed, missing ones added; the set of an incident's timer ids lives in
 * Redis so any process can re-plan. A job that fires for a clock that moved on is a no-op in the
 * state machine, so a stale timer is harmless and a missing one is restored by the next re-plan.
 */
export class TimerScheduler implements TimerPlanner {
  constructor(
    private readonly queue: Queue,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly env: ClockEnv,
    private readonly now: () => Date,
  ) {}

  async replan(incident: Incident): Promise<{ added: number; removed: number }> {
    const points = incident.clocks.flatMap((c) => timerPoints(c, this.env));
    const wanted = new Map(points.map((p) => [timerJobId(incident.id, p), p]));
    const setKey = this.keys.timerSet(incident.id);
    const current = await this.redis.smembers(setKey);
    let removed = 0;
    for (const id of current) {
      if (wanted.has(id)) continue;
      // A job that is running right now cannot be removed; it will find nothing to do.
      await this.queue.remove(id).catch(() => 0);
      await this.redis.srem(setKey, id);
      removed++;
    }
    const have = new Set(current);
    const nowMs = this.now().getTime();
    const missing = [...wanted.entries()].filter(([id]) => !have.has(id));
    if (missing.length > 0) {
      await this.redis.sadd(setKey, ...missing.map(([id]) => id));
      await this.queue.addBulk(
        missing.map(([id, p]) => ({
          name: p.kind,
          data: { incidentId: incident.id, clockId: p.clockId, kind: p.kind, ...(p.fraction === undefined ? {} : { fraction: p.fraction }), at: p.at } satisfies TimerJob,
          opts: { jobId: id, delay: Math.max(0, Date.parse(p.at) - nowMs), attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } },
        })),
      );
    }
    return { added: missing.length, removed };
  }

  /** Forgets a fired timer. */
  async fired(incidentId: string, jobId: string): Promise<void> {
    await this.redis.srem(this.keys.timerSet(incidentId), jobId);
  }
}
