import type { BodyLine, MonthlyNote, QuarterlyRating } from '../core/reports/reports.js';
import { toCsv, type Cell } from './csv.js';
import { localDateTime, monthName, percent, quarterName, zoneLabel } from './labels.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value put into a report's HTML goes through here: names and territories come from data. */

function esc(v: Cell): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const pct = percent;
const signed = (v: number | null) => (v === null ? 'нет данных за прошлый период' : `${v >= 0 ? '+' : ''}${percent(v)}`);
/** When and in which zone, as the reader's clock says it: «07.12.2026 08:48 (МСК)». */
const stamp = (iso: string, zone: string) => `${localDateTime(iso, zone)} (${zoneLabel(zone, new Date(iso))})`;
/** Whole minutes (a clock measured in seconds reads «< 1», not 0.1208333). */
const num = (v: number | null) => (v === null ? '—' : v < 1 ? '< 1' : String(Math.round(v)));

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}th{background:#f3f3f3}.muted{color:#666}</style>
</head><body>${body}</body></html>`;
}

function table(head: string[], rows: Cell[][]): string {
  if (rows.length === 0) return '<p class="muted">Нет данных.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** «отписки 1 из 4 (25 %)», «довольны 2 из 3», «открыто повторно 1»: counts beside shares, since they are small. */
const formal = (q: BodyLine['quality']) => (q.answers === 0 ? '—' : `${q.formal} из ${q.answers} (${pct(q.formalShare)})`);
const satisfied = (q: BodyLine['quality']) => (q.satisfied + q.unsatisfied === 0 ? '—' : `${q.satisfied} из ${q.satisfied + q.unsatisfied} (${pct(q.satisfaction)})`);
const reopened = (q: BodyLine['quality']) => (q.incidents === 0 ? '—' : `${q.reopened} из ${q.incidents}`);
const bodyRows = (lines: BodyLine[]) =>
  lines.map((l) => [l.name, l.measured, pct(l.compliance), num(l.medianWorkingMinutes), l.overdueNow, formal(l.quality), satisfied(l.quality), reopened(l.quality), l.quality.returned]);
const BODY_HEAD = ['Исполнитель', 'Ответов', 'В срок', 'Медиана первого ответа, раб. мин', 'Просрочено сейчас', 'Отписки', 'Довольны жители', 'Открыто повторно', 'Возвращено на доработку'];
const QUALITY_NOTE = `<p class="muted">Качество — отдельные столбцы, на место в рейтинге не влияют. Отписки — ответы без конкретного действия, срока или ответственного (правило с найденными признаками, см. README); довольны жители — по реакции в обсуждении после ответа (слово автора поста решает, иначе большинство); открыто повторно — обращения, открытые снова после ответа или закрытия; возвращено — ответы, отправленные модератором на доработку.</p>`;

export function monthlyHtml(n: MonthlyNote): string {
  return page(
    `Аналитическая записка: ${n.region}, ${monthName(n.month)}`,
    `<h1>Аналитическая записка за ${esc(monthName(n.month))}</h1>
<p class="muted">Территория: ${esc(n.region)}. Время — ${esc(zoneLabel(n.timeZone, new Date(n.generatedAt)))}. Сформирована ${esc(stamp(n.generatedAt, n.timeZone))}.</p>
<p class="muted">Публикации — все посты и комментарии из источников, включая копии; оповещения — публикации, признанные сигналами для реагирования (с копиями). В очереди консоли копии одной проблемы — одно оповещение, и показаны только неразобранные.</p>
<h2>Объёмы</h2>
${table(['Показатель', 'За месяц', 'За прошлый месяц', 'Изменение'], [
  ['Публикации', n.posts.total, n.posts.previous, signed(n.posts.growth)],
  ['Оповещения (сигналы для реагирования)', n.alerts.total, n.alerts.previous, signed(n.alerts.growth)],
])}
<p>Доля негативных публикаций: ${esc(pct(n.negativeShare))}.</p>
<h2>Темы оповещений</h2>
${table(['Тема', 'Оповещений', 'Месяцем ранее', 'Рост'], n.topics.map((t) => [t.name, t.alerts, t.previous, signed(t.growth)]))}
<h2>Соблюдение сроков (первый ответ)</h2>
<p>Ответов с измеренным сроком: ${esc(n.sla.measured)}, в срок: ${esc(n.sla.met)} (${esc(pct(n.sla.compliance))}).</p>
<h3>Быстрее всех</h3>${table(BODY_HEAD, bodyRows(n.fastest))}
<h3>Медленнее всех</h3>${table(BODY_HEAD, bodyRows(n.slowest))}
${QUALITY_NOTE}
${n.unranked.length > 0 ? `<p class="muted">Не ранжируются (меньше 5 ответов): ${n.unranked.map((l) => esc(l.name)).join(', ')}.</p>` : ''}
<h2>Повторяющиеся проблемы</h2>
<p class="muted">Тема и территория, по которым были оповещения и в этом месяце, и в три предыдущих.</p>
${table(['Тема', 'Территория', 'Оповещений за месяц', 'За три месяца до'], n.recurring.map((r) => [r.name, r.territory, r.alerts, r.before]))}`,
  );
}

export function monthlyCsv(n: MonthlyNote): string {
  return toCsv([
    ['раздел', 'ключ', 'значение', 'прошлый период', 'изменение'],
    ['объём', 'публикации', n.posts.total, n.posts.previous, n.posts.growth ?? ''],
    ['объём', 'оповещения', n.alerts.total, n.alerts.previous, n.alerts.growth ?? ''],
    ['объём', 'доля негатива', n.negativeShare ?? '', '', ''],
    ...n.topics.map((t) => ['тема', t.name, t.alerts, t.previous, t.growth ?? '']),
    ['сроки', 'измерено', n.sla.measured, '', ''],
    ['сроки', 'в срок', n.sla.met, '', ''],
    ...n.fastest.map((l) => ['быстрые', l.name, l.compliance ?? '', l.medianWorkingMinutes ?? '', l.measured]),
    ...n.slowest.map((l) => ['медленные', l.name, l.compliance ?? '', l.medianWorkingMinutes ?? '', l.measured]),
    ...n.recurring.map((r) => ['повторяющиеся', `${r.name} / ${r.territory}`, r.alerts, r.before, '']),
  ]);
}

export function quarterlyHtml(r: QuarterlyRating): string {
  return page(
    `Рейтинг исполнителей за ${quarterName(r.quarter)}`,
    `<h1>Рейтинг исполнителей за ${esc(quarterName(r.quarter))}</h1>
<p class="muted">По доле первых ответов в срок, затем по медиане времени ответа. Время — ${esc(zoneLabel(r.timeZone, new Date(r.generatedAt)))}. Сформирован ${esc(stamp(r.generatedAt, r.timeZone))}.</p>
${table(['Место', 'Прошлый квартал', ...BODY_HEAD], r.ranked.map((l) => [l.rank, l.previousRank ?? '—', ...bodyRows([l])[0] ?? []]))}
${QUALITY_NOTE}
${r.unranked.length > 0 ? `<p class="muted">Не ранжируются (меньше 5 ответов): ${r.unranked.map((l) => esc(l.name)).join(', ')}.</p>` : ''}`,
  );
}

const csvLine = (l: BodyLine): Cell[] => {
  const q = l.quality;
  return [l.bodyId, l.name, l.measured, l.compliance ?? '', l.medianWorkingMinutes ?? '', l.overdueNow, q.answers, q.formal, q.formalShare ?? '', q.satisfied, q.unsatisfied, q.satisfaction ?? '', q.incidents, q.reopened, q.returned];
};

export function quarterlyCsv(r: QuarterlyRating): string {
  return toCsv([
    ['место', 'прошлый квартал', 'исполнитель', 'название', 'ответов', 'в срок', 'медиана, раб. мин', 'просрочено сейчас', 'ответов оценено', 'отписок', 'доля отписок', 'довольны', 'недовольны', 'удовлетворённость', 'обращений', 'открыто повторно', 'возвращено на доработку'],
    ...r.ranked.map((l) => [l.rank, l.previousRank ?? '', ...csvLine(l)]),
    ...r.unranked.map((l) => ['', '', ...csvLine(l)]),
  ]);
}
