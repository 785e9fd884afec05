import { describe, expect, it } from 'vitest';
import { isoWithOffset, localParts } from '../../../../src/core/sla/zone-time.js';

describe('zone time', () => {
  it('formats instants with the zone offset', () => {
    const t = Date.parse('2025-11-10T15:00:00Z');
    expect(isoWithOffset(t, 'Europe/Moscow')).toBe('2025-11-10T18:00:00+03:00');
    expect(isoWithOffset(t, 'Asia/Kamchatka')).toBe('2025-11-11T03:00:00+12:00');
    expect(isoWithOffset(t, 'Europe/Kaliningrad')).toBe('2025-11-10T17:00:00+02:00');
    expect(isoWithOffset(t, 'America/Caracas')).toBe('2025-11-10T11:00:00-04:00');
    expect(isoWithOffset(t + 7_500, 'UTC')).toBe('2025-11-10T15:00:07+00:00');
    expect(isoWithOffset(Date.parse('2025-11-10T15:00:00Z'), 'Asia/Kolkata')).toBe('2025-11-10T20:30:00+05:30');
  });

  it('follows daylight saving where a zone has it', () => {
    expect(localParts(Date.parse('2025-07-01T12:00:00Z'), 'Europe/Berlin')).toMatchObject({ time: '14:00', offsetMinutes: 120 });
    expect(localParts(Date.parse('2025-12-01T12:00:00Z'), 'Europe/Berlin')).toMatchObject({ time: '13:00', offsetMinutes: 60, weekday: 'Mon' });
  });

  it('handles instants before 1970 (negative milliseconds)', () => {
    expect(isoWithOffset(Date.parse('1969-12-31T23:59:30Z'), 'UTC')).toBe('1969-12-31T23:59:30+00:00');
  });
});
