import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtklikError } from '../../core/errors.js';
import { parseCalendarFile, WorkingCalendar, type CalendarFile } from '../../core/calendar/calendar.js';

export const ROUND_THE_CLOCK = '24x7';

function readCalendarFile(path: string, display: string): CalendarFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new OtklikError('CALENDAR_INVALID', `${display}: cannot read: ${(e as Error).message}`, { details: { file: display } });
  }
  return parseCalendarFile(json, display);
}

/**
 * Loads `<dir>/<id>.json` and any regional overlays (`<dir>/<overlay>.json`, same format) into a
 * working calendar. Ids are plain names, never paths.
 */
export function loadCalendar(dir: string, id: string, overlays: readonly string[] = []): WorkingCalendar {
  for (const name of [id, ...overlays]) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new OtklikError('CALENDAR_INVALID', `calendar id "${name}" must be lower-case letters, digits and "-"`);
  }
  const file = readCalendarFile(join(dir, `${id}.json`), `rules/calendars/${id}.json`);
  const extra = overlays.map((o) => readCalendarFile(join(dir, `${o}.json`), `rules/calendars/${o}.json`));
  return new WorkingCalendar(id, file, extra);
}

/** Loads every calendar (with overlays) the bodies use, keyed as BodyDirectory.calendarKey. */
export function loadCalendarsFor(dir: string, keys: Iterable<string>): Map<string, WorkingCalendar> {
  const out = new Map<string, WorkingCalendar>();
  for (const key of keys) {
    if (out.has(key)) continue;
    const [id, ...overlays] = key.split('+');
    // "24x7" is the calendar of round-the-clock services: no days off, every year known.
    out.set(key, id === ROUND_THE_CLOCK ? WorkingCalendar.roundTheClock() : loadCalendar(dir, id ?? '', overlays));
  }
  return out;
}
