/**
 * The `sla` command line: `npm run -s sla -- deadline --received <ISO> --tz <zone> --calendar ru|kz --policy <policy>
 *   [--hours 09:00-13:00,14:00-18:00] [--pause <ISO>/<ISO>]...`
 * prints one JSON object: when the clock is due, whether that is provisional, and why.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { OtklikError } from '../core/errors.js';
import { computeDeadline, parsePolicy, type Pause } from '../core/sla/clock.js';
import { DEFAULT_SCHEDULE, parseHours, weekdaySchedule } from '../core/sla/schedule.js';
import { loadCalendar } from '../adapters/files/calendars.js';
import { projectRoot } from '../paths.js';

const USAGE =
  'usage: sla deadline --received <ISO instant> --tz <IANA zone> --calendar ru|kz --policy working-time:<minutes>|next-working-day|calendar-time:<minutes> [--hours 09:00-13:00,14:00-18:00] [--pause <ISO>/<ISO>]...';

function instant(text: string, what: string): Date {
  // An instant needs its offset: a bare local time would silently mean the machine's zone.
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new OtklikError('POLICY_INVALID', `${what} "${text}" is not an ISO 8601 instant with an offset (e.g. 2025-11-07T17:00:00+03:00)`);
  }
  return new Date(text);
}

export function run(argv: string[]): string {
  const [command, ...rest] = argv;
  if (command !== 'deadline') throw new OtklikError('POLICY_INVALID', USAGE);
  const { values } = parseArgs({
    args: rest,
    options: {
      received: { type: 'string' },
      tz: { type: 'string' },
      calendar: { type: 'string' },
      policy: { type: 'string' },
      hours: { type: 'string' },
      pause: { type: 'string', multiple: true },
      overlay: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const missing = (['received', 'tz', 'calendar', 'policy'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) throw new OtklikError('POLICY_INVALID', `missing --${missing.join(', --')}\n${USAGE}`);
  const pauses: Pause[] = (values.pause ?? []).map((p) => {
    const [a, b, extra] = p.split('/');
    if (a === undefined || b === undefined || extra !== undefined) throw new OtklikError('PAUSE_INVALID', `pause "${p}" is not <ISO>/<ISO>`);
    return { start: instant(a, 'pause start'), end: instant(b, 'pause end') };
  });
  const policy = parsePolicy(values.policy ?? '');
  const calendar = loadCalendar(join(projectRoot, 'rules/calendars'), values.calendar ?? '', values.overlay ?? []);
  const schedule = values.hours ? weekdaySchedule(parseHours(values.hours)) : DEFAULT_SCHEDULE;
  const zone = values.tz ?? '';
  const result = computeDeadline(policy, instant(values.received ?? '', '--received'), { zone, calendar, schedule }, pauses);
  return JSON.stringify({
    deadline: result.deadlineLocal,
    deadlineUtc: result.deadline.toISOString(),
    provisional: result.provisional,
    explain: result.explain,
    days: result.days,
    policy: values.policy,
    zone,
    calendar: values.calendar,
    workingMinutes: result.workingMinutes,
    wallMinutes: result.wallMinutes,
    pausedMinutes: result.pausedMinutes,
  });
}
