import { join } from 'node:path';
import { computeDeadline, type SlaPolicy } from '../src/core/sla/clock.js';
import { DEFAULT_SCHEDULE } from '../src/core/sla/schedule.js';
import { loadCalendar } from '../src/adapters/files/calendars.js';
import { projectRoot } from '../src/paths.js';

export interface SlaFigures {
  sla_deadlines_per_s: number;
  sla_next_working_day_per_s: number;
}

/** Deadline computations on the real Russian calendar, instants spread over 2025–2026. */
export function benchSla(n = 50_000): SlaFigures {
  const setup = { zone: 'Europe/Moscow', calendar: loadCalendar(join(projectRoot, 'rules/calendars'), 'ru'), schedule: DEFAULT_SCHEDULE };
  const start = Date.parse('2025-01-01T00:00:00Z');
  const span = 2 * 365 * 86_400_000;
  const instants = Array.from({ length: n }, (_, i) => new Date(start + ((i * 7_919_993_311) % span)));
  const rate = (policy: SlaPolicy) => {
    for (let i = 0; i < 1000; i++) computeDeadline(policy, instants[i] as Date, setup);
    const t = performance.now();
    for (const at of instants) computeDeadline(policy, at, setup);
    return Math.round(n / ((performance.now() - t) / 1000));
  };
  return { sla_deadlines_per_s: rate({ kind: 'working-time', minutes: 480 }), sla_next_working_day_per_s: rate({ kind: 'next-working-day' }) };
}
