import { OtklikError } from '../errors.js';
import type { DayInfo, WeekdayName } from '../calendar/calendar.js';

/** A span of local working time, in minutes from local midnight, end exclusive. */
export interface Interval {
  start: number;
  end: number;
}

/** Working hours per weekday. A weekday with no intervals is not worked. */
export type WorkingSchedule = Readonly<Record<WeekdayName, readonly Interval[]>>;

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutes(hhmm: string, where: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new OtklikError('SCHEDULE_INVALID', `${where}: "${hhmm}" is not a time HH:MM`);
  const v = Number(m[1]) * 60 + Number(m[2]);
  if (v > 1440) throw new OtklikError('SCHEDULE_INVALID', `${where}: "${hhmm}" is past 24:00`);
  return v;
}

export function formatMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Parses "09:00-13:00,14:00-18:00"; intervals must be ordered and must not overlap. */
export function parseHours(text: string): Interval[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new OtklikError('SCHEDULE_INVALID', 'working hours are empty');
  const intervals = parts.map((p) => {
    const [a, b, extra] = p.split('-');
    if (a === undefined || b === undefined || extra !== undefined) throw new OtklikError('SCHEDULE_INVALID', `"${p}" is not an interval HH:MM-HH:MM`);
    const start = minutes(a.trim(), p);
    const end = minutes(b.trim(), p);
    if (end <= start) throw new OtklikError('SCHEDULE_INVALID', `"${p}" ends before it starts`);
    return { start, end };
  });
  for (let i = 1; i < intervals.length; i++) {
    const prev = intervals[i - 1] as Interval;
    const cur = intervals[i] as Interval;
    if (cur.start < prev.end) {
      throw new OtklikError('SCHEDULE_INVALID', `intervals overlap or are out of order: ${formatMinutes(prev.start)}-${formatMinutes(prev.end)} and ${formatMinutes(cur.start)}-${formatMinutes(cur.end)}`);
    }
  }
  return intervals;
}

/** The same hours Monday to Friday, nothing at the weekend. */
export function weekdaySchedule(hours: readonly Interval[]): WorkingSchedule {
  return { Mon: hours, Tue: hours, Wed: hours, Thu: hours, Fri: hours, Sat: [], Sun: [] };
}

/** Mon–Fri 09:00–13:00 and 14:00–18:00: 480 working minutes a day. */
export const DEFAULT_SCHEDULE: WorkingSchedule = weekdaySchedule([
  { start: 9 * 60, end: 13 * 60 },
  { start: 14 * 60, end: 18 * 60 },
]);

const ALL_DAY: readonly Interval[] = [{ start: 0, end: 1440 }];
/** Round the clock, every day: the schedule of 24/7 services (with `WorkingCalendar.roundTheClock()`). */
export const ALWAYS_SCHEDULE: WorkingSchedule = { Mon: ALL_DAY, Tue: ALL_DAY, Wed: ALL_DAY, Thu: ALL_DAY, Fri: ALL_DAY, Sat: ALL_DAY, Sun: ALL_DAY };

/** One standard working day of a schedule: the minutes of its first worked weekday. */
export function standardDayMinutes(schedule: WorkingSchedule): number {
  for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const) {
    const total = schedule[d].reduce((n, i) => n + (i.end - i.start), 0);
    if (total > 0) return total;
  }
  return 0;
}

/** Shortened days end an hour earlier (Labour Code art. 95). */
const SHORTENED_BY_MINUTES = 60;

/**
 * The working intervals of one local day: none on a day off; a working weekend day works the hours
 * of the weekday it stands for; a shortened day loses its last hour.
 */
export function intervalsOn(day: DayInfo, schedule: WorkingSchedule): Interval[] {
  if (!day.working) return [];
  const base = schedule[day.worksAs ?? day.weekday];
  if (!day.shortened) return [...base];
  let cut = SHORTENED_BY_MINUTES;
  const out = base.map((i) => ({ ...i }));
  for (let k = out.length - 1; k >= 0 && cut > 0; k--) {
    const i = out[k] as Interval;
    const take = Math.min(cut, i.end - i.start);
    i.end -= take;
    cut -= take;
  }
  return out.filter((i) => i.end > i.start);
}
