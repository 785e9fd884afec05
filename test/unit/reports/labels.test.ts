import { describe, expect, it } from 'vitest';
import { localDateTime, monthName, percent, quarterName, zoneLabel } from '../../../src/reports/labels.js';

describe('how reports write for people', () => {
  it('zones against Moscow, local time, periods by name, decimal commas', () => {
    const at = new Date('2026-12-07T05:48:00Z');
    expect(zoneLabel('Europe/Moscow', at)).toBe('МСК');
    expect(zoneLabel('Asia/Yekaterinburg', at)).toBe('МСК+2');
    expect(zoneLabel('Europe/Kaliningrad', at)).toBe('МСК−1');
    expect(localDateTime('2026-12-07T05:48:00Z', 'Asia/Vladivostok')).toBe('07.12.2026 15:48');
    expect(monthName('2026-11')).toBe('ноябрь 2026');
    expect(quarterName('2026-Q4')).toBe('4 квартал 2026');
    expect(percent(0.125)).toBe('12,5 %');
    expect(percent(null)).toBe('—');
  });
});
