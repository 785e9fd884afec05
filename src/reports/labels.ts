/**
 * How reports and exports write for people: dates in the region's zone as Russians write them,
 * zones as МСК±N, periods by name, percentages with a decimal comma, codes as their Russian names.
 */
const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

export const PLATFORM_NAMES: Record<string, string> = { vk: 'ВКонтакте', ok: 'Одноклассники', tg: 'Telegram' };
export const SENTIMENT_NAMES: Record<string, string> = { negative: 'негатив', neutral: 'нейтрально', positive: 'позитив' };
export const TYPE_NAMES: Record<string, string> = { complaint: 'жалоба', question: 'вопрос', gratitude: 'благодарность', review: 'отзыв', other: 'прочее' };

function offsetMinutes(zone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((local - at.getTime()) / 60000);
}

/** «МСК», «МСК+2», «МСК−1»: a zone against Moscow at a moment. */
export function zoneLabel(zone: string, at = new Date()): string {
  const diff = (offsetMinutes(zone, at) - offsetMinutes('Europe/Moscow', at)) / 60;
  return diff === 0 ? 'МСК' : `МСК${diff > 0 ? '+' : '−'}${Math.abs(diff)}`;
}

/** «07.12.2026 08:48» in a zone. */
export function localDateTime(iso: string | undefined, zone: string): string {
  if (!iso) return '';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('ru-RU', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** «ноябрь 2026» for `2026-11`. */
export function monthName(month: string): string {
  const m = Number(month.slice(5, 7));
  return m >= 1 && m <= 12 ? `${MONTHS[m - 1] ?? ''} ${month.slice(0, 4)}` : month;
}

/** «4 квартал 2026» for `2026-Q4`. */
export function quarterName(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `${m[2]} квартал ${m[1]}` : quarter;
}

/** «12,5 %» for 0.125; a dash for no value. */
export function percent(v: number | null): string {
  return v === null ? '—' : `${String(Math.round(v * 1000) / 10).replace('.', ',')} %`;
}
