import { DateTime } from 'luxon';
import { z } from 'zod';
import { OtklikError } from '../errors.js';

/** A reporting period: a calendar month or quarter in the region's time zone, as UTC instants. */
export interface Period {
  label: string;
  from: string;
  to: string;
}

// Years reports can be about (the platforms' era): a typo like 0000 is a 400, not a 500 from the date library.
export const monthSchema = z.string().regex(/^(199\d|20\d\d|2100)-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM, years 1990–2100');
export const quarterSchema = z.string().regex(/^(199\d|20\d\d|2100)-Q[1-4]$/, 'a quarter as YYYY-Q1…Q4, years 1990–2100');

function period(start: DateTime, months: number, label: string): Period {
  if (!start.isValid) throw new OtklikError('VALIDATION_FAILED', `invalid period start: ${start.invalidExplanation ?? ''}`);
  return { label, from: start.toUTC().toISO() ?? '', to: start.plus({ months }).toUTC().toISO() ?? '' };
}

export function monthPeriod(month: string, zone: string): Period {
  const [y, m] = month.split('-').map(Number);
  return period(DateTime.fromObject({ year: y, month: m, day: 1 }, { zone }), 1, month);
}

export function previousMonth(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function quarterPeriod(quarter: string, zone: string): Period {
  const [y, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  return period(DateTime.fromObject({ year: y, month: (q - 1) * 3 + 1, day: 1 }, { zone }), 3, quarter);
}

export function previousQuarter(quarter: string): string {
  const [y, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}
