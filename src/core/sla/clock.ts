import { DateTime, IANAZone } from 'luxon';
import { OtklikError } from '../errors.js';
import type { DayInfo, WorkingCalendar } from '../calendar/calendar.js';
import { intervalsOn, standardDayMinutes, type WorkingSchedule } from './schedule.js';
import { isoWithOffset, localParts } from './zone-time.js';

/** How an SLA clock measures its term. */
export type SlaPolicy =
  /** A budget of working time on the body's schedule and calendar (the default: one working day). */
  | { kind: 'working-time'; minutes: number }
  /** Close of business of the first working day after the local date of receipt. */
  | { kind: 'next-working-day' }
  /** Plain elapsed time, for 24/7 services. */
  | { kind: 'calendar-time'; minutes: number };

export interface Pause {
  start: Date;
  end: Date;
}

/** Where a clock runs: the body's time zone, production calendar and working hours. */
export interface ClockSetup {
  zone: string;
  calendar: WorkingCalendar;
  schedule: WorkingSchedule;
}

export interface DeadlineResult {
  deadline: Date;
  /** ISO 8601 with the zone's offset, e.g. 2025-11-10T18:00:00+03:00. */
  deadlineLocal: string;
  /** True when a day on the way lies in a year the calendar has no data for (weekends assumed). */
  provisional: boolean;
  /** Why the deadline is where it is, in one line. */
  explain: string;
  /** The unusual days on the way (days off, shortened days, working weekend days, unknown years). */
  days: string[];
  /** Working minutes between receipt and deadline (pauses excluded). */
  workingMinutes: number;
  /** Wall-clock minutes between receipt and deadline. */
  wallMinutes: number;
  pausedMinutes: number;
}

const MAX_DAYS = 3660;
const MINUTE = 60_000;

export function parsePolicy(text: string): SlaPolicy {
  if (text === 'next-working-day') return { kind: 'next-working-day' };
  // Minutes may have a fraction ("calendar-time:0.05" is 3 seconds: handy for tests and drills).
  const m = /^(working-time|calendar-time):(\d{1,7}(?:\.\d{1,4})?)$/.exec(text);
  if (!m || Number(m[2]) <= 0) {
    throw new OtklikError('POLICY_INVALID', `policy "${text}" is not working-time:<minutes>, next-working-day or calendar-time:<minutes>`);
  }
  return { kind: m[1] as 'working-time' | 'calendar-time', minutes: Number(m[2]) };
}

const validZones = new Set<string>();

/** Refuses names that are not IANA zones. Checking builds an Intl formatter, so answers are kept. */
export function assertZone(zone: string): void {
  if (validZones.has(zone)) return;
  if (!IANAZone.isValidZone(zone)) throw new OtklikError('TIMEZONE_INVALID', `"${zone}" is not an IANA time zone`);
  validZones.add(zone);
}

/** Sorted, merged pauses; a pause that ends before it starts is refused. */
export function normalizePauses(pauses: readonly Pause[]): { start: number; end: number }[] {
  const list = pauses.map((p) => {
    const start = p.start.getTime();
    const end = p.end.getTime();
    if (Number.isNaN(start) || Number.isNaN(end)) throw new OtklikError('PAUSE_INVALID', 'a pause has an invalid instant');
    if (end <= start) {
      throw new OtklikError('PAUSE_INVALID', `pause ${p.start.toISOString()}/${p.end.toISOString()} ends before it starts`);
    }
    return { start, end };
  });
  list.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const p of list) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push({ ...p });
  }
  return merged;
}

/** [start, end) minus the pauses. */
function unpaused(start: number, end: number, pauses: readonly { start: number; end: number }[]): [number, number][] {
  const out: [number, number][] = [];
  let s = start;
  for (const p of pauses) {
    if (p.end <= s) continue;
    if (p.start >= end) break;
    if (p.start > s) out.push([s, p.start]);
    s = Math.max(s, p.end);
    if (s >= end) return out;
  }
  if (s < end) out.push([s, end]);
  return out;
}

function localInstant(zone: string, date: string, minuteOfDay: number): number {
  const day = DateTime.fromISO(date, { zone });
  if (minuteOfDay >= 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second: 0, millisecond: 0 }).toMillis();
}

function nextDate(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** One local day of a setup: what the calendar says and its working spans as UTC instants. */
interface DayPlan {
  day: DayInfo;
  spans: readonly (readonly [number, number])[];
}

// Zone arithmetic is the slow part of a deadline; a day's plan depends only on calendar, schedule,
// zone and date, so it is computed once and reused (bounded, so a long-running worker stays small).
const plans = new WeakMap<WorkingCalendar, WeakMap<WorkingSchedule, Map<string, DayPlan>>>();
const PLAN_CACHE_LIMIT = 50_000;

function planOf(setup: ClockSetup, date: string): DayPlan {
  let bySchedule = plans.get(setup.calendar);
  if (!bySchedule) {
    bySchedule = new WeakMap();
    plans.set(setup.calendar, bySchedule);
  }
  let cache = bySchedule.get(setup.schedule);
  if (!cache) {
    cache = new Map();
    bySchedule.set(setup.schedule, cache);
  }
  const key = `${setup.zone}|${date}`;
  let plan = cache.get(key);
  if (!plan) {
    const day = setup.calendar.day(date);
    const spans = intervalsOn(day, setup.schedule)
      .map((iv) => [localInstant(setup.zone, date, iv.start), localInstant(setup.zone, date, iv.end)] as const)
      .filter(([a, b]) => b > a);
    plan = { day, spans };
    if (cache.size >= PLAN_CACHE_LIMIT) cache.clear();
    cache.set(key, plan);
  }
  return plan;
}

function localDateOf(instant: number, zone: string): string {
  return localParts(instant, zone).date;
}

function describe(day: DayInfo): string | undefined {
  if (!day.known) return `${day.weekday} ${day.date}: no calendar data for ${day.date.slice(0, 4)}, weekends assumed`;
  if (!day.working) return `${day.weekday} ${day.date} off (${day.reason ?? 'day off'})`;
  if (day.worksAs) return `${day.weekday} ${day.date} is ${day.reason ?? 'a working day'}${day.shortened ? ', shortened by an hour' : ''}`;
  if (day.shortened) return `${day.weekday} ${day.date} shortened by an hour`;
  return undefined;
}

/** What a walk over days noticed: unusual days for the explanation, unknown years. */
interface DayLog {
  provisional: boolean;
  days: string[];
}

function visit(setup: ClockSetup, date: string, log: DayLog): DayPlan {
  const plan = planOf(setup, date);
  if (!plan.day.known) log.provisional = true;
  const note = describe(plan.day);
  if (note) log.days.push(note);
  return plan;
}

interface Walk {
  deadline: number;
  working: number;
  provisional: boolean;
  days: string[];
}

/**
 * Walks working time forward from `from` on the body's calendar, skipping pauses, until `budget`
 * milliseconds of working time are used up.
 */
function walkWorkingTime(from: number, budget: number, setup: ClockSetup, pauses: readonly { start: number; end: number }[]): Walk {
  let date = localDateOf(from, setup.zone);
  let remaining = budget;
  const log: DayLog = { provisional: false, days: [] };
  for (let n = 0; n < MAX_DAYS; n++) {
    for (const [spanStart, end] of visit(setup, date, log).spans) {
      const start = Math.max(spanStart, from);
      if (end <= start) continue;
      for (const [s, e] of pauses.length === 0 ? [[start, end] as [number, number]] : unpaused(start, end, pauses)) {
        if (e - s >= remaining) return { deadline: s + remaining, working: budget, ...log };
        remaining -= e - s;
      }
    }
    date = nextDate(date);
  }
  throw new OtklikError('SCHEDULE_INVALID', `the schedule gives no ${Math.round(budget / MINUTE)} working minutes within ${MAX_DAYS} days`);
}

/** Working minutes between two instants on a setup, pauses excluded. */
export function workingMinutesBetween(from: Date, to: Date, setup: ClockSetup, pauses: readonly Pause[] = []): number {
  const f = from.getTime();
  const t = to.getTime();
  if (t <= f) return 0;
  const merged = normalizePauses(pauses);
  let total = 0;
  let date = localDateOf(f, setup.zone);
  const lastDate = localDateOf(t, setup.zone);
  for (let n = 0; n < MAX_DAYS; n++) {
    for (const [spanStart, spanEnd] of planOf(setup, date).spans) {
      const start = Math.max(spanStart, f);
      const end = Math.min(spanEnd, t);
      for (const [s, e] of end > start ? unpaused(start, end, merged) : []) total += e - s;
    }
    if (date >= lastDate) break;
    date = nextDate(date);
  }
  return total / MINUTE;
}

/** The first working day after the local date of receipt, and its close of business. */
function nextWorkingDayClose(received: number, setup: ClockSetup): { close: number; provisional: boolean; days: string[] } {
  let date = nextDate(localDateOf(received, setup.zone));
  const log: DayLog = { provisional: false, days: [] };
  for (let n = 0; n < MAX_DAYS; n++) {
    const { spans } = visit(setup, date, log);
    const last = spans[spans.length - 1];
    if (last) return { close: last[1], ...log };
    date = nextDate(date);
  }
  throw new OtklikError('SCHEDULE_INVALID', `no working day within ${MAX_DAYS} days`);
}

function summary(policy: SlaPolicy, received: number, deadline: number, setup: ClockSetup, days: readonly string[], pausedMinutes: number): string {
  const r = localParts(received, setup.zone);
  const d = localParts(deadline, setup.zone);
  const term =
    policy.kind === 'working-time'
      ? `${policy.minutes} working minutes (one working day = ${standardDayMinutes(setup.schedule)})`
      : policy.kind === 'calendar-time'
        ? `${policy.minutes} calendar minutes`
        : 'close of business of the next working day';
  const parts = [
    `due ${d.weekday} ${d.date} ${d.time} ${setup.zone}`,
    `${term} from ${r.weekday} ${r.date} ${r.time}`,
    ...(pausedMinutes > 0 ? [`paused ${Math.round(pausedMinutes)} min`] : []),
    ...days,
  ];
  return parts.join('; ');
}

/** Computes when an SLA clock started at `receivedAt` is due. Pure: no I/O, no current time. */
export function computeDeadline(policy: SlaPolicy, receivedAt: Date, setup: ClockSetup, pauses: readonly Pause[] = []): DeadlineResult {
  assertZone(setup.zone);
  const received = receivedAt.getTime();
  if (Number.isNaN(received)) throw new OtklikError('POLICY_INVALID', 'the time of receipt is not a valid instant');
  const merged = normalizePauses(pauses);
  let deadline: number;
  let provisional = false;
  let days: string[] = [];
  let workingMinutes: number | undefined;

  if (policy.kind === 'calendar-time') {
    deadline = received + policy.minutes * MINUTE;
    for (const p of merged) {
      if (p.end <= received) continue;
      if (p.start >= deadline) break;
      deadline += p.end - Math.max(p.start, received);
    }
  } else if (policy.kind === 'working-time') {
    const walk = walkWorkingTime(received, policy.minutes * MINUTE, setup, merged);
    ({ deadline, provisional, days } = walk);
    workingMinutes = policy.minutes;
  } else {
    const next = nextWorkingDayClose(received, setup);
    deadline = next.close;
    provisional = next.provisional;
    days = next.days;
    if (merged.length > 0) {
      // A pause moves the close of business by the working time it took away.
      const budget = workingMinutesBetween(receivedAt, new Date(next.close), setup) * MINUTE;
      const walk = walkWorkingTime(received, budget, setup, merged);
      ({ deadline, days } = walk);
      provisional ||= walk.provisional;
      workingMinutes = budget / MINUTE;
    }
  }

  const pausedMinutes = merged.reduce((n, p) => n + Math.max(0, Math.min(p.end, deadline) - Math.max(p.start, received)), 0) / MINUTE;
  return {
    deadline: new Date(deadline),
    deadlineLocal: isoWithOffset(deadline, setup.zone),
    provisional,
    explain: summary(policy, received, deadline, setup, days, pausedMinutes),
    days,
    workingMinutes: workingMinutes ?? workingMinutesBetween(receivedAt, new Date(deadline), setup, pauses),
    wallMinutes: (deadline - received) / MINUTE,
    pausedMinutes,
  };
}
