import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseCalendarFile, WorkingCalendar, weekdayOf } from '../../../../src/core/calendar/calendar.js';
import { loadCalendar } from '../../../../src/adapters/files/calendars.js';
import { projectRoot } from '../../../../src/paths.js';

const dir = join(projectRoot, 'rules/calendars');
const ru = loadCalendar(dir, 'ru');

describe('WorkingCalendar over the shipped Russian calendar', () => {
  it('ordinary days and weekends', () => {
    expect(ru.day('2025-11-12')).toEqual({ date: '2025-11-12', weekday: 'Wed', known: true, working: true, shortened: false });
    expect(ru.day('2025-11-15')).toMatchObject({ weekday: 'Sat', working: false, reason: 'weekend' });
  });

  it('holidays, transferred days off, working weekend days, shortened days are read from the data', () => {
    expect(ru.day('2025-11-04')).toMatchObject({ working: false, reason: expect.stringMatching(/^holiday: /) });
    expect(ru.day('2025-11-03')).toMatchObject({ working: false, reason: 'day off transferred from 2025-11-01' });
    expect(ru.day('2025-11-01')).toMatchObject({ weekday: 'Sat', working: true, shortened: true, worksAs: 'Mon' });
    expect(ru.day('2025-03-07')).toMatchObject({ working: true, shortened: true });
  });

  it('traps named by the calendar README', () => {
    // Shortened working Saturdays that stand for a pre-holiday Monday.
    for (const d of ['2021-02-20', '2022-03-05', '2024-11-02', '2025-11-01', '2027-02-20']) expect(ru.day(d)).toMatchObject({ working: true, shortened: true });
    // Not shortened: the day before a transferred day off.
    for (const d of ['2025-12-30', '2026-12-30']) expect(ru.day(d)).toMatchObject({ working: true, shortened: false });
  });

  it('a year without data is unknown, never silently ordinary', () => {
    expect(ru.day('2028-01-03')).toMatchObject({ known: false, working: true });
    expect(ru.yearStatus('2028')).toBeUndefined();
    expect(ru.yearStatus('2025')).toBe('official');
  });

  it('regional overlays add their holidays', () => {
    const overlay = parseCalendarFile(
      { format: 'ru-production-calendar/1', country: 'RU-TA', years: { '2025': { status: 'official', holidays: [{ date: '2025-08-30', name: 'День Республики Татарстан' }] } } },
      'rules/calendars/ru-ta.json',
    );
    const ta = new WorkingCalendar('ru+ta', parseCalendarFile({ format: 'ru-production-calendar/1', country: 'RU', years: { '2025': { status: 'official' } } }, 'x'), [overlay]);
    expect(ta.day('2025-08-30')).toMatchObject({ working: false, reason: 'holiday: День Республики Татарстан' });
  });

  it('knows weekdays', () => {
    expect(weekdayOf('2026-01-01')).toBe('Thu');
    expect(weekdayOf('2024-02-29')).toBe('Thu');
  });
});

describe('calendar files that are wrong', () => {
  const base = { format: 'ru-production-calendar/1', country: 'RU' };
  it.each([
    [{ ...base, years: { '2025': { status: 'official', holidays: [{ date: '2025-02-30', name: 'x' }] } } }, /years\.2025\.holidays\.0\.date: not a real calendar date/],
    [{ ...base, years: { '2025': { status: 'official', shortDays: ['2026-01-05'] } } }, /years\.2025\.shortDays\.0: 2026-01-05 is not in 2025/],
    [{ ...base, years: { '25': { status: 'official' } } }, /year keys are four digits/],
    [{ ...base, years: { '2025': { status: 'maybe' } } }, /years\.2025\.status/],
    [
      { ...base, years: { '2025': { status: 'official', holidays: [{ date: '2025-11-01', name: 'x' }], workingWeekendDays: [{ date: '2025-11-01' }] } } },
      /workingWeekendDays\.0\.date: 2025-11-01 is also a day off/,
    ],
  ])('refused with the file, the key and the problem (%#)', (json, message) => {
    expect(() => parseCalendarFile(json, 'rules/calendars/bad.json')).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID', message: expect.stringMatching(message) }));
    expect(() => parseCalendarFile(json, 'rules/calendars/bad.json')).toThrow(/^rules\/calendars\/bad\.json: /);
  });

  it('a calendar id is a name, never a path', () => {
    expect(() => loadCalendar(dir, '../../etc/passwd')).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID' }));
    expect(() => loadCalendar(dir, 'mars')).toThrow(/rules\/calendars\/mars\.json: cannot read/);
  });
});
