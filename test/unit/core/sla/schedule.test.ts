import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, intervalsOn, parseHours, standardDayMinutes, weekdaySchedule } from '../../../../src/core/sla/schedule.js';
import type { DayInfo } from '../../../../src/core/calendar/calendar.js';

const day = (over: Partial<DayInfo>): DayInfo => ({ date: '2025-11-12', weekday: 'Wed', known: true, working: true, shortened: false, ...over });

describe('working schedules', () => {
  it('parses hours and counts one working day', () => {
    expect(parseHours('09:00-13:00, 14:00-18:00')).toEqual([
      { start: 540, end: 780 },
      { start: 840, end: 1080 },
    ]);
    expect(standardDayMinutes(weekdaySchedule(parseHours('08:00-17:00')))).toBe(540);
    expect(standardDayMinutes(weekdaySchedule(parseHours('00:00-24:00')))).toBe(1440);
  });

  it.each([
    ['09:00-13:00,12:00-18:00', /overlap/],
    ['14:00-18:00,09:00-13:00', /out of order/],
    ['18:00-09:00', /ends before it starts/],
    ['9-13', /not a time HH:MM/],
    ['09:00-25:00', /not a time HH:MM/],
    ['', /empty/],
    ['09:00-13:00-14:00', /not an interval/],
  ])('refuses %j', (text, message) => {
    expect(() => parseHours(text)).toThrow(expect.objectContaining({ code: 'SCHEDULE_INVALID', message: expect.stringMatching(message) }));
  });

  it('a shortened day loses its last hour; a day off has no hours; a working Saturday works weekday hours', () => {
    expect(intervalsOn(day({ shortened: true }), DEFAULT_SCHEDULE)).toEqual([
      { start: 540, end: 780 },
      { start: 840, end: 1020 },
    ]);
    expect(intervalsOn(day({ working: false }), DEFAULT_SCHEDULE)).toEqual([]);
    expect(intervalsOn(day({ weekday: 'Sat', worksAs: 'Mon', shortened: true }), DEFAULT_SCHEDULE).at(-1)).toEqual({ start: 840, end: 1020 });
    // An hour cut that spans the lunch break.
    expect(intervalsOn(day({ shortened: true }), weekdaySchedule(parseHours('09:00-13:00,14:00-14:30')))).toEqual([{ start: 540, end: 750 }]);
  });
});
