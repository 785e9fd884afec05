// Analysts: full-text search with facets, the trend by topic, the bodies' leaderboard and reports.
import { html, useState, useEffect, useRef } from '/vendor/standalone.module.js';
import { api, query } from '../api.js';
import { ErrorText, Filters, SpikesPanel } from '../components.js';
import { useHashState } from '../hooks.js';
import { PLATFORM, SENTIMENT, fmt, safeUrl, topicName } from '../format.js';

/** Ten colours that tell apart (Tableau 10), then the same hues darker. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#2f4b7c', '#a05195', '#d45087', '#665191', '#003f5c'];
const DAY = 86_400_000;

/** Daily buckets with the empty days put back as zeros: a quiet day is a fact, not a gap. */
export function fillDays(buckets) {
  if (buckets.length === 0) return [];
  const by = new Map(buckets.map((b) => [Date.parse(b.key), b]));
  const keys = [...by.keys()].sort((a, b) => a - b);
  const out = [];
  for (let t = keys[0]; t <= keys[keys.length - 1]; t += DAY) out.push(by.get(t) ?? { key: new Date(t).toISOString(), count: 0, by: {} });
  return out;
}

function TrendChart({ buckets, dir }) {
  const canvas = useRef(null);
  useEffect(() => {
    if (!canvas.current || !window.Chart) return undefined;
    const days = fillDays(buckets);
    const keys = [...new Set(days.flatMap((b) => Object.keys(b.by)))];
    const chart = new window.Chart(canvas.current, {
      type: 'line',
      data: {
        labels: days.map((b) => fmt(b.key, 'UTC').split(',')[0]),
        datasets: keys.map((k, i) => ({ label: topicName(dir, k), data: days.map((b) => b.by[k] ?? 0), tension: 0.2, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] })),
      },
      options: { animation: false, responsive: true, plugins: { legend: { position: 'bottom' } } },
    });
    return () => chart.destroy();
  }, [buckets]);
  return html`<canvas ref=${canvas} data-test="trend-chart" height="110"></canvas>`;
}

const MIN_VOLUME = 5;

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** The last 24 months, newest first, as `YYYY-MM` with a Russian name (a native month input speaks the browser's language). */
function recentMonths() {
  const now = new Date();
  return Array.from({ length: 24 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return [d.toISOString().slice(0, 7), `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`];
  });
}

const percentOrDash = (v) => (v === null ? '—' : `${Math.round(v * 100)}\u00a0%`);
/** Whole working minutes: a drill clock measured in fractions of one reads «< 1», not 0.1208333. */
const minutesText = (v) => (v === null ? '—' : v < 1 ? '< 1' : String(Math.round(v)));

/** Month and quarter pickers for the monthly note and the quarterly rating. */
function Reports() {
  const months = recentMonths();
  const [month, setMonth] = useState(months[0][0]);
  const year = Number(months[0][0].slice(0, 4));
  const [quarter, setQuarter] = useState(`${year}-Q${Math.floor((Number(months[0][0].slice(5)) - 1) / 3) + 1}`);
  const quarters = [year, year - 1].flatMap((y) => [4, 3, 2, 1].map((q) => `${y}-Q${q}`));
  return html`<div class="reports" data-test="reports">
    <span>Записка за</span><select value=${month} onChange=${(e) => setMonth(e.target.value)} data-test="report-month" aria-label="месяц записки">${months.map(([v, name]) => html`<option value=${v}>${name}</option>`)}</select>
    <a href=${`/reports/monthly?month=${month}`} target="_blank" rel="noopener" data-test="report-monthly">открыть</a> · <a href=${`/reports/monthly?month=${month}&format=csv`}>CSV</a>
    <span>Рейтинг исполнителей за</span><select value=${quarter} onChange=${(e) => setQuarter(e.target.value)} data-test="report-quarter" aria-label="квартал рейтинга">${quarters.map((q) => html`<option value=${q}>${q.slice(6)} кв. ${q.slice(0, 4)}</option>`)}</select>
    <a href=${`/reports/quarterly?quarter=${quarter}`} target="_blank" rel="noopener">открыть</a> · <a href=${`/reports/quarterly?quarter=${quarter}&format=csv`}>CSV</a>
    <small class="meta" title="Что считают цифры">В записке и в поиске считаются посты (с копиями и уже разобранные); в очереди «Оповещения» — неразобранные оповещения, по одному на проблему.</small>
  </div>`;
}

export function SearchScreen({ dir }) {
  const [filters, setFilters] = useHashState({});
  const [result, setResult] = useState(undefined);
  const [facets, setFacets] = useState({});
  const [trend, setTrend] = useState([]);
  const [sla, setSla] = useState([]);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const f = { ...filters };
    let stale = false;
    setLoading(true);
    const t = setTimeout(async () => {
      try {
        const [r, tr, s, ...fs] = await Promise.all([
          api('GET', `/search${query({ ...f, size: 20 })}`),
          api('GET', `/trends${query({ ...f, interval: 'day', by: 'topic' })}`),
          api('GET', '/aggregations/sla'),
          ...['topic', 'sentiment', 'platform', 'territory'].map((field) => api('GET', `/aggregations/terms${query({ ...f, field, size: 8 })}`)),
        ]);
        // A newer search started meanwhile: this answer is for filters no longer on screen.
        if (stale) return;
        setResult(r);
        setTrend(tr.buckets);
        setSla(s.bodies);
        setFacets(Object.fromEntries(fs.map((x) => [x.field, x.terms])));
        setError('');
      } catch (err) {
        if (stale) return;
        // A refused search leaves no stale results under the error.
        setResult(undefined);
        setError(err.message);
      }
      setLoading(false);
    }, 250);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [JSON.stringify(filters)]);
  const label = (field, key) => (field === 'topic' ? topicName(dir, key) : field === 'sentiment' ? SENTIMENT[key] : field === 'platform' ? PLATFORM[key] : key);
  const ranked = [...sla].filter((r) => r.measured >= MIN_VOLUME).sort((a, b) => (b.compliance ?? 0) - (a.compliance ?? 0));
  const small = sla.filter((r) => r.measured < MIN_VOLUME);
  return html`<section>
    <h2>Поиск и аналитика</h2>
    <${Reports} />
    <${SpikesPanel} dir=${dir} />
    <${Filters} dir=${dir} value=${filters} onChange=${setFilters} fields=${['q']} compact=${true} />
    <${ErrorText} error=${error} />
    <div class="grid-2">
      <aside>
        ${Object.entries(facets).map(
          ([field, terms]) => html`<div class="facet"><h6>${{ topic: 'Темы', sentiment: 'Тональность', platform: 'Платформы', territory: 'Территории' }[field]}</h6>
            ${terms.map((t) => html`<button class="outline secondary" onClick=${() => setFilters({ ...filters, [field]: field === 'territory' ? [t.key] : t.key })}>${label(field, t.key)} — ${t.count}</button>`)}</div>`,
        )}
      </aside>
      <div>
        <h4>Динамика по темам (постов в день)</h4>
        <${TrendChart} buckets=${trend} dir=${dir} />
        <h4>Найдено постов: <span data-test="search-total" aria-busy=${loading ? 'true' : 'false'}>${error ? '—' : (result?.total ?? '…')}</span>
          <a role="button" class="outline" style="margin-left:1rem" href=${`/search/export.csv${query(filters)}`} data-test="export-csv">Выгрузить CSV</a></h4>
        ${result?.items.map(
          (h) => html`<article class="card" data-test="hit">
            <div class="meta"><span>${fmt(h.createdAt, dir.zone)}</span><span>${PLATFORM[h.platform] ?? h.platform}</span><span>${topicName(dir, h.topic)}</span>
              <span>${SENTIMENT[h.sentiment] ?? h.sentiment}</span>${h.territory ? html`<span>${h.territory}</span>` : null}
              ${h.incidentId ? html`<a href=${`#/incident/${encodeURIComponent(h.incidentId)}`} data-test="hit-incident">обращение</a>` : null}</div>
            <p class="post-text">${h.text}</p>
            ${safeUrl(h.permalink) ? html`<a href=${safeUrl(h.permalink)} target="_blank" rel="noopener noreferrer nofollow">пост ↗</a>` : null}
          </article>`,
        )}
        <h4>Рейтинг исполнителей (первый ответ в срок)</h4>
        <table class="compact" data-test="leaderboard"><thead><tr><th>Исполнитель</th><th>Ответов</th><th>В срок</th><th>Медиана, раб. мин</th><th>Просрочено сейчас</th>
          <th title="ответы без конкретного действия, срока или ответственного">Отписки</th><th title="по реакции в обсуждении после ответа; слово автора поста решает">Довольны жители</th><th title="обращения, открытые снова после ответа или закрытия">Открыто повторно</th></tr></thead>
          <tbody>${ranked.map((r) => html`<tr><td>${dir.bodyNames.get(r.bodyId) ?? r.bodyId}</td><td>${r.measured}</td><td>${percentOrDash(r.compliance)}</td><td>${minutesText(r.medianWorkingMinutes)}</td><td>${r.overdueNow}</td>
            <td data-test="formal-share">${r.quality.answers === 0 ? '—' : `${r.quality.formal} из ${r.quality.answers}`}</td>
            <td data-test="satisfaction">${r.quality.satisfied + r.quality.unsatisfied === 0 ? '—' : `${percentOrDash(r.quality.satisfaction)} (${r.quality.satisfied} из ${r.quality.satisfied + r.quality.unsatisfied})`}</td>
            <td data-test="reopened">${r.quality.incidents === 0 ? '—' : `${r.quality.reopened} из ${r.quality.incidents}`}</td></tr>`)}</tbody>
        </table>
        <p class="meta">Качество ответов — отдельные столбцы: на место в рейтинге не влияют.</p>
        ${small.length > 0 ? html`<p class="meta">Не ранжируются (меньше ${MIN_VOLUME} ответов): ${small.map((r) => dir.bodyNames.get(r.bodyId) ?? r.bodyId).join(', ')}</p>` : null}
      </div>
    </div>
  </section>`;
}
