/** Local wall-clock parts of an instant in an IANA zone. */
export interface LocalParts {
  date: string;
  time: string;
  weekday: string;
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Wall-clock parts through the platform's own time-zone database (Intl), with one formatter per
 * zone: the hot path of deadline computation and formatting.
 */
export function localParts(instant: number, zone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(instant)) p[part.type] = part.value;
  const y = Number(p.year);
  const mo = Number(p.month);
  const d = Number(p.day);
  const h = Number(p.hour);
  const mi = Number(p.minute);
  const s = Number(p.second);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const offsetMinutes = Math.round((asUtc - (instant - (instant % 1000 + 1000) % 1000)) / 60_000);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    weekday: p.weekday ?? '',
    offsetMinutes,
  };
}

/** ISO 8601 with the zone's offset, seconds kept only when not zero. */
export function isoWithOffset(instant: number, zone: string): string {
  const parts = localParts(instant, zone);
  const sec = Math.floor((((instant % 60_000) + 60_000) % 60_000) / 1000);
  const sign = parts.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(parts.offsetMinutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${parts.date}T${parts.time}:${String(sec).padStart(2, '0')}${off}`;
}
