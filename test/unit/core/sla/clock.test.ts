import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { computeDeadline, parsePolicy, workingMinutesBetween, type Pause, type SlaPolicy } from '../../../../src/core/sla/clock.js';
import { ALWAYS_SCHEDULE, DEFAULT_SCHEDULE, standardDayMinutes } from '../../../../src/core/sla/schedule.js';
import { loadCalendar } from '../../../../src/adapters/files/calendars.js';
import { WorkingCalendar } from '../../../../src/core/calendar/calendar.js';
import { projectRoot } from '../../../../src/paths.js';

const dir = join(projectRoot, 'rules/calendars');
const ru = loadCalendar(dir, 'ru');
const kz = loadCalendar(dir, 'kz');
const moscow = { zone: 'Europe/Moscow', calendar: ru, schedule: DEFAULT_SCHEDULE };
const DAY: SlaPolicy = { kind: 'working-time', minutes: 480 };
const NEXT: SlaPolicy = { kind: 'next-working-day' };

const due = (policy: SlaPolicy, received: string, setup = moscow, pauses: Pause[] = []) => computeDeadline(policy, new Date(received), setup, pauses);
const pause = (a: string, b: string): Pause => ({ start: new Date(a), end: new Date(b) });

describe('working-time: one working day (480 minutes, Mon–Fri 09–13, 14–18)', () => {
  it('one working day is one standard day of the schedule', () => {
    expect(standardDayMinutes(DEFAULT_SCHEDULE)).toBe(480);
  });

  it.each([
    ['an ordinary morning', '2025-11-12T10:00:00+03:00', '2025-11-13T10:00:00+03:00'],
    ['arrival during lunch counts from 14:00', '2025-11-12T13:30:00+03:00', '2025-11-13T13:00:00+03:00'],
    ['arrival after hours: the whole next day', '2025-11-12T20:00:00+03:00', '2025-11-13T18:00:00+03:00'],
    ['arrival before hours: the same day', '2025-11-12T07:15:00+03:00', '2025-11-12T18:00:00+03:00'],
    ['Friday night: Monday close of business', '2025-11-14T22:00:00+03:00', '2025-11-17T18:00:00+03:00'],
    ['Friday 17:00: an hour on Friday, seven on Monday', '2025-11-07T17:00:00+03:00', '2025-11-10T17:00:00+03:00'],
    ['arrival at the weekend', '2025-11-15T11:00:00+03:00', '2025-11-17T18:00:00+03:00'],
    ['a transferred day off (Mon 3 Nov) and a holiday (Tue 4 Nov)', '2025-11-03T10:00:00+03:00', '2025-11-05T18:00:00+03:00'],
    ['a working Saturday that is also shortened (1 Nov 2025 works for 3 Nov)', '2025-10-31T17:00:00+03:00', '2025-11-01T17:00:00+03:00'],
    ['a shortened pre-holiday Friday (7 Mar 2025) ends at 17:00', '2025-03-06T17:00:00+03:00', '2025-03-07T17:00:00+03:00'],
    ['trap: 30 Dec 2025 precedes a transferred day off and is NOT shortened', '2025-12-29T18:00:00+03:00', '2025-12-30T18:00:00+03:00'],
    ['year boundary through the New Year holidays', '2025-12-30T14:00:00+03:00', '2026-01-12T13:00:00+03:00'],
    ['the May holidays of 2026: 30 Apr is shortened, 1 May off, 4 May works', '2026-04-30T12:00:00+03:00', '2026-05-04T13:00:00+03:00'],
    ['9 May 2026 falls on Saturday: Monday 11 May is off (art. 112 shift)', '2026-05-08T12:00:00+03:00', '2026-05-12T13:00:00+03:00'],
  ])('%s', (_name, received, expected) => {
    const r = due(DAY, received);
    expect(r.deadline.toISOString()).toBe(new Date(expected).toISOString());
    expect(r.provisional).toBe(false);
    expect(r.workingMinutes).toBe(480);
  });

  it('explains itself: weekend days named, shortened day named', () => {
    const r = due(DAY, '2025-03-06T17:00:00+03:00');
    expect(r.explain).toMatch(/^due Fri 2025-03-07 17:00 Europe\/Moscow/);
    expect(r.days).toContain('Fri 2025-03-07 shortened by an hour');
    const w = due(DAY, '2025-11-14T22:00:00+03:00');
    expect(w.days).toEqual(['Sat 2025-11-15 off (weekend)', 'Sun 2025-11-16 off (weekend)']);
    const h = due(DAY, '2025-11-03T10:00:00+03:00');
    expect(h.days[0]).toBe('Mon 2025-11-03 off (day off transferred from 2025-11-01)');
    expect(h.days[1]).toMatch(/^Tue 2025-11-04 off \(holiday: /);
  });

  it('keeps durations in wall-clock and working time', () => {
    const r = due(DAY, '2025-11-14T22:00:00+03:00');
    expect(r.wallMinutes).toBe((2 * 24 + 20) * 60);
    expect(r.workingMinutes).toBe(480);
  });

  it('urgent budgets: 4 working hours across lunch', () => {
    expect(due({ kind: 'working-time', minutes: 240 }, '2025-11-12T11:00:00+03:00').deadlineLocal).toBe('2025-11-12T16:00:00+03:00');
  });
});

describe('time zones from Kaliningrad to Kamchatka, and Kazakhstan', () => {
  it.each([
    ['Europe/Kaliningrad', '2025-11-12T10:00:00Z', '2025-11-13T12:00:00+02:00'],
    ['Europe/Moscow', '2025-11-12T09:00:00Z', '2025-11-13T12:00:00+03:00'],
    ['Asia/Yekaterinburg', '2025-11-12T07:00:00Z', '2025-11-13T12:00:00+05:00'],
    ['Asia/Vladivostok', '2025-11-12T02:00:00Z', '2025-11-13T12:00:00+10:00'],
    ['Asia/Kamchatka', '2025-11-12T00:00:00Z', '2025-11-13T12:00:00+12:00'],
  ])('%s: 12:00 local plus one working day is 12:00 next day local', (zone, received, expected) => {
    const r = due(DAY, received, { ...moscow, zone });
    expect(r.deadlineLocal).toBe(expected);
  });

  it('Kamchatka: Friday 18:00 local is Friday 06:00 UTC, and the clock runs on local days', () => {
    const r = due(DAY, '2025-11-14T06:00:00Z', { ...moscow, zone: 'Asia/Kamchatka' });
    expect(r.deadlineLocal).toBe('2025-11-17T18:00:00+12:00');
  });

  it('Kazakhstan (UTC+5, its own calendar): Nauryz and the shifted days off', () => {
    const r = due(DAY, '2025-03-20T10:00:00+05:00', { zone: 'Asia/Almaty', calendar: kz, schedule: DEFAULT_SCHEDULE });
    expect(r.deadlineLocal).toBe('2025-03-26T10:00:00+05:00');
    expect(r.days.some((d) => d.startsWith('Fri 2025-03-21 off (holiday: Наурыз'))).toBe(true);
    expect(r.days).toContain('Mon 2025-03-24 off (day off transferred from 2025-03-22)');
  });
});

describe('pauses', () => {
  it('a pause resumed on a non-working day: the clock continues on Monday morning', () => {
    const r = due(DAY, '2025-11-14T10:00:00+03:00', moscow, [pause('2025-11-14T15:00:00+03:00', '2025-11-15T12:00:00+03:00')]);
    expect(r.deadlineLocal).toBe('2025-11-17T13:00:00+03:00');
    expect(r.workingMinutes).toBe(480);
  });

  it('overlapping pauses are merged; pauses before receipt do not count', () => {
    const r = due(DAY, '2025-11-12T10:00:00+03:00', moscow, [
      pause('2025-11-01T10:00:00+03:00', '2025-11-02T10:00:00+03:00'),
      pause('2025-11-12T11:00:00+03:00', '2025-11-12T12:00:00+03:00'),
      pause('2025-11-12T11:30:00+03:00', '2025-11-12T12:30:00+03:00'),
    ]);
    expect(r.deadlineLocal).toBe('2025-11-13T11:30:00+03:00');
  });

  it('a pause that ends before it starts is refused', () => {
    expect(() => due(DAY, '2025-11-12T10:00:00+03:00', moscow, [pause('2025-11-12T12:00:00+03:00', '2025-11-12T11:00:00+03:00')])).toThrow(
      expect.objectContaining({ code: 'PAUSE_INVALID' }),
    );
  });
});

describe('next-working-day (the Civil Code reading of a term in days)', () => {
  it.each([
    ['an ordinary Wednesday: Thursday close of business', '2025-11-12T10:00:00+03:00', '2025-11-13T18:00:00+03:00'],
    ['received after hours: still the next working day', '2025-11-12T23:30:00+03:00', '2025-11-13T18:00:00+03:00'],
    ['received on Saturday: Monday', '2025-11-15T11:00:00+03:00', '2025-11-17T18:00:00+03:00'],
    ['Friday 31 Oct 2025: the working Saturday, shortened, closes at 17:00', '2025-10-31T12:00:00+03:00', '2025-11-01T17:00:00+03:00'],
    ['the day before a shortened day', '2025-03-06T09:00:00+03:00', '2025-03-07T17:00:00+03:00'],
    ['over the New Year holidays', '2025-12-30T16:00:00+03:00', '2026-01-12T18:00:00+03:00'],
  ])('%s', (_name, received, expected) => {
    expect(due(NEXT, received).deadline.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('a pause moves close of business by the working time it took', () => {
    const r = due(NEXT, '2025-11-12T10:00:00+03:00', moscow, [pause('2025-11-13T09:00:00+03:00', '2025-11-13T10:30:00+03:00')]);
    expect(r.deadlineLocal).toBe('2025-11-14T10:30:00+03:00');
  });

  it('a pause resumed on a Sunday: the lost time is made up on Monday', () => {
    const r = due(NEXT, '2025-11-13T10:00:00+03:00', moscow, [pause('2025-11-14T16:00:00+03:00', '2025-11-16T12:00:00+03:00')]);
    expect(r.deadlineLocal).toBe('2025-11-17T11:00:00+03:00');
  });
});

describe('calendar-time (24/7 services)', () => {
  const h24: SlaPolicy = { kind: 'calendar-time', minutes: 24 * 60 };
  it('ignores weekends and holidays', () => {
    expect(due(h24, '2025-12-31T20:00:00+03:00').deadlineLocal).toBe('2026-01-01T20:00:00+03:00');
  });
  it('pauses extend it by their length inside the term', () => {
    const r = due(h24, '2025-11-12T10:00:00+03:00', moscow, [pause('2025-11-12T09:00:00+03:00', '2025-11-12T11:00:00+03:00'), pause('2025-11-13T09:30:00+03:00', '2025-11-13T10:30:00+03:00')]);
    expect(r.deadlineLocal).toBe('2025-11-13T12:00:00+03:00');
    expect(r.pausedMinutes).toBe(120);
  });
  it('is never provisional', () => {
    expect(due(h24, '2027-12-31T20:00:00+03:00').provisional).toBe(false);
  });
  it('round the clock schedule: working time equals wall time', () => {
    const r = due({ kind: 'working-time', minutes: 90 }, '2025-12-31T23:00:00+03:00', { ...moscow, calendar: WorkingCalendar.roundTheClock(), schedule: ALWAYS_SCHEDULE });
    expect(r.provisional).toBe(false);
    expect(r.deadlineLocal).toBe('2026-01-01T00:30:00+03:00');
  });
});

describe('years with no calendar data', () => {
  it('a deadline that crosses into 2028 is provisional and says why', () => {
    const r = due(DAY, '2027-12-30T16:00:00+03:00');
    expect(r.provisional).toBe(true);
    expect(r.explain).toContain('no calendar data for 2028, weekends assumed');
  });
  it.each([DAY, NEXT])('provisional for every policy that uses the calendar (%o)', (policy) => {
    expect(due(policy, '2029-03-01T10:00:00+03:00').provisional).toBe(true);
  });
  it('a known year is not provisional, even in Kazakhstan data marked provisional by its compilers', () => {
    expect(due(DAY, '2026-06-01T10:00:00+05:00', { zone: 'Asia/Almaty', calendar: kz, schedule: DEFAULT_SCHEDULE }).provisional).toBe(false);
    expect(kz.yearStatus('2026')).toBe('provisional');
  });
});

describe('parsePolicy and durations', () => {
  it('parses the three policies and refuses others', () => {
    expect(parsePolicy('working-time:480')).toEqual(DAY);
    expect(parsePolicy('next-working-day')).toEqual(NEXT);
    expect(parsePolicy('calendar-time:1440')).toEqual({ kind: 'calendar-time', minutes: 1440 });
    for (const bad of ['working-time', 'working-time:0', 'weeks:2', 'calendar-time:-5']) expect(() => parsePolicy(bad)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });
  it('counts working minutes between two instants', () => {
    expect(workingMinutesBetween(new Date('2025-11-07T17:00:00+03:00'), new Date('2025-11-10T17:00:00+03:00'), moscow)).toBe(480);
    expect(workingMinutesBetween(new Date('2025-11-10T17:00:00+03:00'), new Date('2025-11-07T17:00:00+03:00'), moscow)).toBe(0);
  });
  it('refuses an unknown time zone', () => {
    expect(() => due(DAY, '2025-11-12T10:00:00+03:00', { ...moscow, zone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'TIMEZONE_INVALID' }));
  });
});

describe('explanations of unusual days', () => {
  it('a working Saturday says what it stands for and that it is shortened', () => {
    expect(due(DAY, '2025-10-31T17:00:00+03:00').days).toEqual(['Sat 2025-11-01 is a working day in place of 2025-11-03, shortened by an hour']);
  });
});

describe('every policy over the same traps', () => {
  const H24: SlaPolicy = { kind: 'calendar-time', minutes: 1440 };
  const almaty = { zone: 'Asia/Almaty', calendar: kz, schedule: DEFAULT_SCHEDULE };
  const kamchatka = { ...moscow, zone: 'Asia/Kamchatka' };
  it.each<[string, SlaPolicy, string, string, typeof moscow, Pause[]]>([
    ['next-working-day, arrival during lunch', NEXT, '2025-11-12T13:30:00+03:00', '2025-11-13T18:00:00+03:00', moscow, []],
    ['next-working-day, Friday night', NEXT, '2025-11-14T23:00:00+03:00', '2025-11-17T18:00:00+03:00', moscow, []],
    ['next-working-day, Kamchatka Friday 18:00 local', NEXT, '2025-11-14T06:00:00Z', '2025-11-17T18:00:00+12:00', kamchatka, []],
    ['next-working-day, Kazakhstan over Nauryz', NEXT, '2025-03-20T10:00:00+05:00', '2025-03-26T18:00:00+05:00', almaty, []],
    ['calendar-time, Kazakhstan over Nauryz', H24, '2025-03-20T10:00:00+05:00', '2025-03-21T10:00:00+05:00', almaty, []],
    ['calendar-time, a pause resumed on a Sunday adds its 48 hours', H24, '2025-11-14T10:00:00+03:00', '2025-11-17T10:00:00+03:00', moscow, [pause('2025-11-14T12:00:00+03:00', '2025-11-16T12:00:00+03:00')]],
    ['working-time, arrival on a holiday (12 June 2025), then the transferred 13 June off', DAY, '2025-06-12T10:00:00+03:00', '2025-06-16T18:00:00+03:00', moscow, []],
    ['next-working-day, year boundary in Kazakhstan', NEXT, '2025-12-31T12:00:00+05:00', '2026-01-05T18:00:00+05:00', almaty, []],
  ])('%s', (_n, policy, received, expected, setup, pauses) => {
    expect(due(policy, received, setup, pauses).deadline.toISOString()).toBe(new Date(expected).toISOString());
  });
});
