import { computeDeadline, parsePolicy, workingMinutesBetween, type ClockSetup, type Pause, type SlaPolicy } from '../sla/clock.js';
import type { ClockKind, ClockScope, SlaClock } from './incident.js';

/** What the clocks need from the world: each body's time zone, calendar and hours. */
export interface ClockEnv {
  setupFor(bodyId: string): ClockSetup;
}

export function policyText(p: SlaPolicy): string {
  return p.kind === 'next-working-day' ? p.kind : `${p.kind}:${p.minutes}`;
}

function closedPauses(clock: SlaClock): Pause[] {
  return clock.pauses.filter((p) => p.end !== undefined).map((p) => ({ start: new Date(p.start), end: new Date(p.end as string) }));
}

function isPaused(clock: SlaClock): boolean {
  return clock.pauses.some((p) => p.end === undefined);
}

export function isRunning(clock: SlaClock): boolean {
  return clock.stoppedAt === undefined;
}

/** Recomputes when a running clock is due; a paused or stopped clock has no due time. */
export function planClock(clock: SlaClock, env: ClockEnv): SlaClock {
  if (!isRunning(clock) || isPaused(clock)) {
    const { dueAt: _d, explain: _e, ...rest } = clock;
    return rest;
  }
  const r = computeDeadline(parsePolicy(clock.policy), new Date(clock.startedAt), env.setupFor(clock.bodyId), closedPauses(clock));
  return { ...clock, dueAt: r.deadline.toISOString(), provisional: r.provisional, explain: r.explain };
}

export function startClock(
  env: ClockEnv,
  kind: ClockKind,
  scope: ClockScope,
  bodyId: string,
  policy: SlaPolicy,
  warnAt: readonly number[],
  at: Date,
  existing: readonly SlaClock[],
): SlaClock {
  const n = existing.filter((c) => c.kind === kind && c.scope === scope).length + 1;
  return planClock(
    {
      id: `${kind}.${scope}.${n}`,
      kind,
      scope,
      bodyId,
      policy: policyText(policy),
      startedAt: at.toISOString(),
      pauses: [],
      provisional: false,
      warnAt: [...warnAt],
      warningsFired: [],
    },
    env,
  );
}

/** Stops a clock: met when stopped by its due time, late after it. */
export function stopClock(clock: SlaClock, at: Date, env: ClockEnv, outcome?: 'cancelled' | 'rerouted'): SlaClock {
  if (!isRunning(clock)) return clock;
  const closed: SlaClock = { ...clock, pauses: clock.pauses.map((p) => (p.end === undefined ? { ...p, end: at.toISOString() } : p)), stoppedAt: at.toISOString() };
  const late = clock.breachedAt !== undefined || (clock.dueAt !== undefined && at.getTime() > Date.parse(clock.dueAt));
  const started = new Date(clock.startedAt);
  const elapsed = {
    wallMinutes: Math.max(0, (at.getTime() - started.getTime()) / 60_000),
    workingMinutes: workingMinutesBetween(started, at, env.setupFor(clock.bodyId), closedPauses(closed)),
  };
  return { ...closed, elapsed, outcome: outcome ?? (late ? 'late' : 'met') };
}

export function pauseClock(clock: SlaClock, at: Date, env: ClockEnv): SlaClock {
  if (!isRunning(clock) || isPaused(clock)) return clock;
  return planClock({ ...clock, pauses: [...clock.pauses, { start: at.toISOString() }] }, env);
}

export function resumeClock(clock: SlaClock, at: Date, env: ClockEnv): SlaClock {
  if (!isRunning(clock) || !isPaused(clock)) return clock;
  return planClock({ ...clock, pauses: clock.pauses.map((p) => (p.end === undefined ? { ...p, end: at.toISOString() } : p)) }, env);
}

/** A moment a timer must fire for a clock. */
export interface TimerPoint {
  clockId: string;
  kind: 'warning' | 'due';
  /** For warnings: the fraction of the budget used. */
  fraction?: number;
  at: string;
}

/**
 * When each not-yet-fired warning and the breach of a running clock fall due. Warnings are
 * fractions of the budget in working time (for calendar policies, in calendar time).
 */
export function timerPoints(clock: SlaClock, env: ClockEnv): TimerPoint[] {
  if (!isRunning(clock) || clock.dueAt === undefined) return [];
  const points: TimerPoint[] = [];
  const setup = env.setupFor(clock.bodyId);
  const policy = parsePolicy(clock.policy);
  const pauses = closedPauses(clock);
  const started = new Date(clock.startedAt);
  const budget = policy.kind === 'next-working-day' ? workingMinutesBetween(started, new Date(clock.dueAt), setup, pauses) : policy.minutes;
  for (const f of clock.warnAt) {
    if (clock.warningsFired.includes(f)) continue;
    const minutes = budget * f;
    const partial: SlaPolicy = policy.kind === 'calendar-time' ? { kind: 'calendar-time', minutes } : { kind: 'working-time', minutes };
    points.push({ clockId: clock.id, kind: 'warning', fraction: f, at: computeDeadline(partial, started, setup, pauses).deadline.toISOString() });
  }
  if (clock.breachedAt === undefined) points.push({ clockId: clock.id, kind: 'due', at: clock.dueAt });
  return points;
}
