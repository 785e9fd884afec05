import { z } from 'zod';
import { OtklikError } from '../errors.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a real calendar date');

const yearSchema = z
  .object({
    status: z.enum(['official', 'official-unverified-primary', 'provisional']),
    holidays: z.array(z.object({ date: isoDate, name: z.string().min(1) }).passthrough()).default([]),
    extraDaysOff: z.array(z.object({ date: isoDate, from: isoDate.optional(), kind: z.string().min(1) }).passthrough()).default([]),
    workingWeekendDays: z.array(z.object({ date: isoDate, dayOffMovedTo: isoDate.optional() }).passthrough()).default([]),
    shortDays: z.array(isoDate).default([]),
  })
  .passthrough();

/** The `ru-production-calendar/1` format of `rules/calendars/` (see its README). */
export const calendarFileSchema = z
  .object({
    format: z.literal('ru-production-calendar/1'),
    country: z.string().min(2),
    weekend: z.array(z.enum(WEEKDAYS)).default(['Sat', 'Sun']),
    years: z.record(z.string().regex(/^\d{4}$/, 'year keys are four digits'), yearSchema),
  })
  .passthrough()
  .superRefine((file, ctx) => {
    for (const [year, y] of Object.entries(file.years)) {
      const check = (date: string, path: (string | number)[]) => {
        if (!date.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path: ['years', year, ...path], message: `${date} is not in ${year}` });
      };
      y.holidays.forEach((h, i) => check(h.date, ['holidays', i, 'date']));
      y.extraDaysOff.forEach((h, i) => check(h.date, ['extraDaysOff', i, 'date']));
      y.workingWeekendDays.forEach((h, i) => check(h.date, ['workingWeekendDays', i, 'date']));
      y.shortDays.forEach((d, i) => check(d, ['shortDays', i]));
      const off = new Set([...y.holidays.map((h) => h.date), ...y.extraDaysOff.map((h) => h.date)]);
      y.workingWeekendDays.forEach((w, i) => {
        if (off.has(w.date)) ctx.addIssue({ code: 'custom', path: ['years', year, 'workingWeekendDays', i, 'date'], message: `${w.date} is also a day off` });
      });
    }
  });

export type CalendarFile = z.infer<typeof calendarFileSchema>;

/** What the calendar says about one local date. */
export interface DayInfo {
  date: string;
  weekday: WeekdayName;
  /** False when the calendar has no data for the year: weekends are assumed, and results are provisional. */
  known: boolean;
  working: boolean;
  shortened: boolean;
  /** Why the day is not an ordinary one, in words ("holiday: Новый год", "weekend"...). */
  reason?: string;
  /** For a working weekend day: the weekday whose hours it works. */
  worksAs?: WeekdayName;
}

interface DayEntry {
  off?: string;
  workingWeekend?: { movedTo?: string };
  short?: boolean;
}

export function weekdayOf(date: string): WeekdayName {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(d + 6) % 7] as WeekdayName;
}

/**
 * A production calendar: a country file plus regional overlays in the same format. Shortened days
 * are read from the data only, never derived from the days around them.
 */
export class WorkingCalendar {
  private readonly days = new Map<string, DayEntry>();
  private readonly years = new Map<string, string>();
  private readonly weekend: ReadonlySet<WeekdayName>;

  /** A calendar with no days off and every year known: for 24/7 services. */
  static roundTheClock(): WorkingCalendar {
    return new WorkingCalendar('24x7', { format: 'ru-production-calendar/1', country: '24x7', weekend: [], years: {} }, [], true);
  }

  constructor(
    readonly id: string,
    file: CalendarFile,
    overlays: readonly CalendarFile[] = [],
    private readonly everyYearKnown = false,
  ) {
    this.weekend = new Set(file.weekend);
    for (const f of [file, ...overlays]) {
      for (const [year, y] of Object.entries(f.years)) {
        if (f === file) this.years.set(year, y.status);
        for (const h of y.holidays) this.entry(h.date).off = `holiday: ${h.name}`;
        for (const x of y.extraDaysOff) {
          this.entry(x.date).off = x.from ? `day off transferred from ${x.from}` : `day off (${x.kind})`;
        }
        for (const w of y.workingWeekendDays) this.entry(w.date).workingWeekend = w.dayOffMovedTo ? { movedTo: w.dayOffMovedTo } : {};
        for (const d of y.shortDays) this.entry(d).short = true;
      }
    }
  }

  private entry(date: string): DayEntry {
    let e = this.days.get(date);
    if (!e) {
      e = {};
      this.days.set(date, e);
    }
    return e;
  }

  /** Data status of a year, or undefined when the calendar has no data for it. */
  yearStatus(year: string): string | undefined {
    return this.years.get(year);
  }

  day(date: string): DayInfo {
    const weekday = weekdayOf(date);
    const known = this.everyYearKnown || this.years.has(date.slice(0, 4));
    const e = this.days.get(date);
    if (e?.off) return { date, weekday, known, working: false, shortened: false, reason: e.off };
    if (this.weekend.has(weekday)) {
      if (e?.workingWeekend) {
        const movedTo = e.workingWeekend.movedTo;
        const worksAs = movedTo && !this.weekend.has(weekdayOf(movedTo)) ? weekdayOf(movedTo) : 'Mon';
        return {
          date,
          weekday,
          known,
          working: true,
          shortened: Boolean(e.short),
          reason: movedTo ? `a working day in place of ${movedTo}` : 'a working weekend day',
          worksAs,
        };
      }
      return { date, weekday, known, working: false, shortened: false, reason: 'weekend' };
    }
    if (e?.short) return { date, weekday, known, working: true, shortened: true, reason: 'shortened pre-holiday day' };
    return { date, weekday, known, working: true, shortened: false };
  }
}

export function parseCalendarFile(json: unknown, origin: string): CalendarFile {
  const parsed = calendarFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new OtklikError('CALENDAR_INVALID', `${origin}: ${problems.slice(0, 10).join('; ')}`, { details: { file: origin, problems } });
  }
  return parsed.data;
}
