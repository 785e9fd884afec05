import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../../../src/cli/sla-command.js';
import { projectRoot } from '../../../src/paths.js';

const base = ['deadline', '--received', '2025-11-07T17:00:00+03:00', '--tz', 'Europe/Moscow', '--calendar', 'ru'];

describe('sla deadline (command line)', () => {
  it('prints the deadline with the zone offset, provisional and explain', () => {
    const out = JSON.parse(run([...base, '--policy', 'working-time:480'])) as Record<string, unknown>;
    expect(out).toMatchObject({ deadline: '2025-11-10T17:00:00+03:00', provisional: false, workingMinutes: 480 });
    expect(out.explain).toMatch(/^due Mon 2025-11-10 17:00 Europe\/Moscow; 480 working minutes .*Sat 2025-11-08 off \(weekend\)/);
  });

  it('takes custom hours and repeated pauses', () => {
    const out = JSON.parse(
      run([...base, '--policy', 'working-time:120', '--hours', '08:00-12:00,13:00-17:00', '--pause', '2025-11-10T08:00:00+03:00/2025-11-10T09:00:00+03:00', '--pause', '2025-11-10T09:30:00+03:00/2025-11-10T10:00:00+03:00']),
    ) as Record<string, unknown>;
    expect(out.deadline).toBe('2025-11-10T11:30:00+03:00');
    expect(out.pausedMinutes).toBe(90);
  });

  it('runs as a process: JSON on stdout, exit 0; a typed error on stderr, exit 2', () => {
    const ok = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/sla.ts'), ...base, '--policy', 'next-working-day'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ deadline: '2025-11-10T18:00:00+03:00' });
    const bad = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/sla.ts'), ...base, '--policy', 'weeks:2'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^sla: POLICY_INVALID: policy "weeks:2"/);
  });

  it.each([
    [['deadline', '--tz', 'Europe/Moscow'], /missing --received, --calendar, --policy/],
    [[...base.slice(0, 2), '2025-11-07T17:00:00', ...base.slice(3), '--policy', 'next-working-day'], /not an ISO 8601 instant with an offset/],
    [[...base, '--policy', 'next-working-day', '--pause', '2025-11-10T10:00:00Z/2025-11-10T09:00:00Z'], /PAUSE|ends before it starts/],
    [[...base, '--policy', 'next-working-day', '--hours', '09:00-13:00,12:00-18:00'], /overlap/],
    [['deadline', '--received', '2025-11-07T17:00:00Z', '--tz', 'Mars/Base', '--calendar', 'ru', '--policy', 'next-working-day'], /not an IANA time zone/],
    [['deadline', '--received', '2025-11-07T17:00:00Z', '--tz', 'UTC', '--calendar', 'xx', '--policy', 'next-working-day'], /rules\/calendars\/xx\.json: cannot read/],
    [['countdown'], /usage: sla deadline/],
  ])('refuses bad input with a clear message (%#)', (args, message) => {
    expect(() => run(args)).toThrow(message);
  });
});
