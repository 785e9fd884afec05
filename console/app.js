// The Otklik console: a single-page app on the engine's own API (htm + Preact, Chart.js, Pico CSS).
// Every text from a post goes through Preact's text nodes, never innerHTML: posts are hostile input.
import { html, render, useState, useEffect, useRef, useCallback } from '/vendor/standalone.module.js';

const POLL_MS = 5000;

const STATUS = {
  alert: 'оповещение', rejected: 'отклонено', merged: 'объединено', routed: 'направлено', in_progress: 'в работе',
  answered_interim: 'промежуточный ответ', answered_final: 'окончательный ответ', closed: 'закрыто', paused: 'приостановлено',
};
const TYPE = { complaint: 'жалоба', question: 'вопрос', gratitude: 'благодарность', review: 'отзыв', other: 'прочее' };
const SENTIMENT = { negative: 'негатив', neutral: 'нейтрально', positive: 'позитив' };
const PLATFORM = { vk: 'ВКонтакте', ok: 'Одноклассники', tg: 'Telegram' };
const ROLE = { admin: 'администратор', moderator: 'модератор', responder: 'исполнитель', analyst: 'аналитик' };
const ACTION = {
  open: 'открыто', accept: 'принято', reject: 'отклонено', merge: 'объединено', absorb: 'поглощено', split_off: 'выделено', reclassify: 'тема изменена',
  set_priority: 'приоритет', reroute: 'перенаправлено', take: 'взято в работу', answer: 'ответ', pause: 'приостановлено', resume: 'возобновлено',
  close: 'закрыто', reopen: 'переоткрыто', clock_warning: 'предупреждение SLA', clock_due: 'срок истёк', attach_duplicate: 'добавлена копия',
};

/**
 * What a user reads when the server refuses: Russian, by the error's code. The server's own text
 * (English, for logs and scripts) stays in `detail`, never on screen.
 */
const ERROR_TEXTS = {
  UNAUTHENTICATED: 'Сеанс закончился: войдите снова.',
  FORBIDDEN: 'Нет прав на это действие.',
  NOT_FOUND: 'Не найдено.',
  INCIDENT_NOT_FOUND: 'Обращение не найдено.',
  INCIDENT_VERSION_CONFLICT: 'Обращение уже изменил кто-то другой: обновите страницу и повторите действие.',
  INCIDENT_TRANSITION_INVALID: 'Это действие недоступно для обращения в его нынешнем состоянии.',
  INCIDENT_ACTION_INVALID: 'Действие заполнено неверно: проверьте поля (причина — не короче 3 знаков, ссылка — на пост платформы).',
  VALIDATION_FAILED: 'Проверьте введённые данные.',
  BODY_UNKNOWN: 'Такого органа нет в справочнике.',
  TOPIC_UNKNOWN: 'Такой темы нет в справочнике.',
  USER_EXISTS: 'Пользователь с таким логином уже есть.',
  SEARCH_QUERY_INVALID: 'Поисковый запрос составлен неверно: проверьте кавычки и скобки.',
  SEARCH_QUERY_TIMEOUT: 'Поиск занял слишком много времени: сузьте запрос (период, меньше слов, фильтр).',
  SEARCH_UNAVAILABLE: 'Поиск сейчас недоступен, попробуйте позже.',
  SEARCH_NOT_CONFIGURED: 'Поиск отключён в настройках сервера.',
  RATE_LIMITED: 'Слишком много запросов: подождите немного и повторите.',
  REDIS_UNAVAILABLE: 'Сервер временно недоступен, попробуйте через минуту.',
  REPLY_FAILED: 'Не удалось опубликовать ответ на платформе: попробуйте ещё раз.',
  REPLY_NOT_POSSIBLE: 'Опубликовать ответ под этим постом нельзя с учётными данными органа.',
  INTERNAL: 'Внутренняя ошибка сервера.',
};

function errorText(code, status) {
  return ERROR_TEXTS[code] ?? (status >= 500 ? 'Ошибка сервера, попробуйте позже.' : 'Запрос не выполнен.');
}

class ApiError extends Error {
  constructor(status, code, detail) {
    super(errorText(code, status));
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'HTTP', data?.error?.message ?? res.statusText);
  return data;
}

/** Every item of a paged list, page by page. */
async function allPages(url) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await api('GET', `${url}${url.includes('?') ? '&' : '?'}size=500&page=${page}`);
    items.push(...r.items);
    if (r.items.length === 0 || items.length >= r.total) return { ...r, items };
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Only web links are followed: a post's permalink could be `javascript:`. */
function safeUrl(u) {
  return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : undefined;
}

function fmt(iso, zone) {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat('ru-RU', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return new Date(iso).toLocaleString('ru-RU');
  }
}

function duration(ms) {
  const m = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return `${d > 0 ? `${d} д ` : ''}${h > 0 || d > 0 ? `${h} ч ` : ''}${m % 60} мин`;
}

function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** Minutes east of UTC of a zone at a moment, as Intl knows it. */
function offsetMinutes(zone, at) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(at).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((local - at.getTime()) / 60000);
}

/** A zone as Russian readers name it: МСК, МСК+2, МСК−1 (the body's time against Moscow's). */
function zoneLabel(zone) {
  if (!zone) return 'местное время';
  try {
    const now = new Date();
    const diff = (offsetMinutes(zone, now) - offsetMinutes('Europe/Moscow', now)) / 60;
    return diff === 0 ? 'МСК' : `МСК${diff > 0 ? '+' : '−'}${Math.abs(diff)}`;
  } catch {
    return zone;
  }
}

const DEADLINE_KIND = { first_response: 'первый ответ', final_answer: 'окончательный ответ' };

/** Time left to the next deadline, ticking, with which deadline it is and its time in the body's zone. */
function Countdown({ sla, zone }) {
  const now = useNow();
  if (!sla) return null;
  const left = Date.parse(sla.dueAt) - now;
  const kind = DEADLINE_KIND[sla.kind] ?? 'срок';
  return html`<span class=${`countdown${left < 0 ? ' late' : ''}`} data-test="countdown" title=${`${kind}: до ${fmt(sla.dueAt, zone)} (${zoneLabel(zone)})`}>
    ${kind}: ${left < 0 ? `просрочен на ${duration(left)}` : `осталось ${duration(left)}`} · до ${fmt(sla.dueAt, zone)} (${zoneLabel(zone)})
  </span>`;
}

function ErrorText({ error }) {
  return error ? html`<p class="error" role="alert" data-test="error">${error}</p>` : null;
}

function Login({ onDone }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    try {
      await api('POST', '/auth/login', { login, password });
      onDone();
    } catch (err) {
      setError(err.status === 429 ? 'Слишком много попыток входа, попробуйте позже.' : 'Неверный логин или пароль.');
    }
  };
  return html`<article style="max-width:28rem;margin:10vh auto">
    <h2>Отклик</h2>
    <p>Вход в консоль центра управления регионом</p>
    <form onSubmit=${submit}>
      <label>Логин<input name="login" autocomplete="username" value=${login} onInput=${(e) => setLogin(e.target.value)} required /></label>
      <label>Пароль<input name="password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} required /></label>
      <${ErrorText} error=${error} />
      <button type="submit" data-test="login">Войти</button>
    </form>
  </article>`;
}

function topicName(dir, id) {
  return dir.topicNames.get(id) ?? id;
}

function Meta({ inc, dir }) {
  const copies = inc.postIds.length - 1;
  const platform = inc.postIds[0]?.split(':')[0];
  return html`<div class="meta">
    <span class="badge">${STATUS[inc.status] ?? inc.status}</span>
    ${inc.priority === 'high' ? html`<span class="badge high">высокий приоритет</span>` : null}
    <span>${topicName(dir, inc.subtopic ?? inc.topic)}</span>
    ${inc.territory ? html`<span>${inc.territory}</span>` : null}
    <span>${TYPE[inc.type] ?? inc.type}</span>
    <span>${SENTIMENT[inc.sentiment?.label] ?? ''}</span>
    <span>${PLATFORM[platform] ?? platform}</span>
    <span>${fmt(inc.createdAt, dir.zone)}</span>
    ${copies > 0 ? html`<span data-test="copies">+${copies} ${copies === 1 ? 'копия' : 'копий'}</span>` : null}
  </div>`;
}

function PostText({ inc }) {
  const link = safeUrl(inc.permalink);
  return html`<div>
    <p class="post-text" data-test="post-text">${inc.text ?? '(текст недоступен)'}</p>
    ${link ? html`<a href=${link} target="_blank" rel="noopener noreferrer nofollow">Открыть пост в соцсети ↗</a>` : null}
  </div>`;
}

function Hit({ hit, zone }) {
  const link = safeUrl(hit.permalink);
  return html`<article class="hit" data-test="post-hit" data-id=${hit.id}>
    <div class="meta"><span>${PLATFORM[hit.platform] ?? hit.platform}</span><span>${hit.source}</span><span>${fmt(hit.createdAt, zone)}</span>
      ${hit.deletedAt ? html`<span class="badge">удалён на платформе</span>` : null}
      ${link ? html`<a href=${link} target="_blank" rel="noopener noreferrer nofollow">↗</a>` : null}</div>
    <p class="post-text">${hit.text}</p>
  </article>`;
}

/** The incident's posts side by side (opening post and copies), what a comment answers, and the thread under them. */
function PostsPanel({ id, zone, copiesOnly }) {
  const [data, setData] = useState(undefined);
  const [page, setPage] = useState(1);
  const [error, setError] = useState('');
  useEffect(() => {
    api('GET', `/incidents/${encodeURIComponent(id)}/posts?page=${page}`).then(setData, (err) => setError(err.message));
  }, [id, page]);
  if (!data) return html`<${ErrorText} error=${error} />${error ? null : html`<p aria-busy="true">Загрузка…</p>`}`;
  return html`<div data-test="posts-panel">
    ${data.context.length > 0 ? html`<h5>Комментарий к посту</h5>${data.context.map((h) => html`<${Hit} hit=${h} zone=${zone} />`)}` : null}
    ${copiesOnly || data.posts.total > 1
      ? html`<h5>Публикации: исходная и копии (${data.posts.total})</h5>
          <div class="side-by-side" data-test="copies-list">${data.posts.items.map((h) => html`<${Hit} hit=${h} zone=${zone} />`)}</div>`
      : null}
    ${copiesOnly
      ? null
      : html`<h5>Обсуждение (${data.thread.total})</h5>
          ${data.thread.total === 0 ? html`<p><small>Комментариев нет (или источник их не читает).</small></p>` : null}
          <div data-test="thread">${data.thread.items.map((h) => html`<${Hit} hit=${h} zone=${zone} />`)}</div>`}
    ${data.posts.total > data.posts.items.length || data.thread.total > data.thread.items.length
      ? html`<button class="outline small" onClick=${() => setPage(page + 1)} data-test="posts-more">Следующие ${data.size}</button>`
      : null}
  </div>`;
}

function Filters({ dir, value, onChange, fields }) {
  const set = (k) => (e) => onChange({ ...value, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const groups = dir.topics.filter((t) => !t.id.includes('.'));
  return html`<form class="filters" onSubmit=${(e) => e.preventDefault()}>
    ${fields.includes('q') ? html`<label>Текст<input data-test="filter-q" value=${value.q ?? ''} onInput=${set('q')} placeholder="слова из поста" /></label>` : null}
    <label>Тема<select data-test="filter-topic" value=${value.topic ?? ''} onChange=${set('topic')}>
      <option value="">все</option>${groups.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
    </select></label>
    <label>Территория<input value=${value.territory ?? ''} onChange=${set('territory')} placeholder="напр. г. Энск" /></label>
    <label>Тональность<select value=${value.sentiment ?? ''} onChange=${set('sentiment')}>
      <option value="">все</option>${Object.entries(SENTIMENT).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select></label>
    <label>Тип<select value=${value.type ?? ''} onChange=${set('type')}>
      <option value="">все</option>${Object.entries(TYPE).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select></label>
    <label>Источник<select value=${value.platform ?? ''} onChange=${set('platform')}>
      <option value="">все</option>${Object.entries(PLATFORM).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select></label>
    ${fields.includes('priority') ? html`<label>Приоритет<select value=${value.priority ?? ''} onChange=${set('priority')}>
      <option value="">все</option><option value="high">высокий</option><option value="normal">обычный</option>
    </select></label>` : null}
    ${fields.includes('atRisk') ? html`<label><input type="checkbox" role="switch" checked=${value.atRisk === true} onChange=${set('atRisk')} /> срок под угрозой</label>` : null}
  </form>`;
}

/** A list that refreshes itself: new items appear without reload and are marked until seen. */
function useLiveList(url, deps) {
  const [page, setPage] = useState(undefined);
  const [error, setError] = useState('');
  const [fresh, setFresh] = useState(new Set());
  const known = useRef(undefined);
  const load = useCallback(async () => {
    try {
      const p = await api('GET', url);
      const ids = p.items.map((i) => i.id);
      if (known.current) {
        const added = ids.filter((id) => !known.current.has(id));
        if (added.length > 0) setFresh((f) => new Set([...f, ...added]));
      }
      known.current = new Set([...(known.current ?? []), ...ids]);
      setPage(p);
      setError('');
    } catch (err) {
      setError(err.message);
    }
  }, [url]);
  useEffect(() => {
    known.current = undefined;
    setFresh(new Set());
    void load();
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, [load, ...deps]);
  return { page, error, fresh, reload: load };
}

function AlertCard({ inc, dir, fresh, selected, onSelect, onDone }) {
  const [body, setBody] = useState(inc.proposedBodyId);
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [showCopies, setShowCopies] = useState(false);
  const [error, setError] = useState('');
  const act = async (action) => {
    setError('');
    try {
      await api('POST', `/incidents/${encodeURIComponent(inc.id)}/actions`, { action, expectedVersion: inc.version });
      onDone();
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<article class=${`card${fresh ? ' new' : ''}`} data-test="alert" data-id=${inc.id}>
    <label style="float:right"><input type="checkbox" checked=${selected} onChange=${(e) => onSelect(e.target.checked)} aria-label="выбрать" /></label>
    <${Meta} inc=${inc} dir=${dir} />
    <${PostText} inc=${inc} />
    ${inc.postIds.length > 1
      ? html`<button class="outline secondary small" data-test="show-copies" onClick=${() => setShowCopies(!showCopies)}>${showCopies ? 'Скрыть копии' : `Показать копии рядом (${inc.postIds.length - 1})`}</button>`
      : null}
    ${showCopies ? html`<${PostsPanel} id=${inc.id} zone=${dir.zone} copiesOnly=${true} />` : null}
    <div class="actions">
      <select value=${body} onChange=${(e) => setBody(e.target.value)} data-test="accept-body" aria-label="исполнитель">
        ${dir.bodies.map((b) => html`<option value=${b.id}>${b.name}</option>`)}
      </select>
      <button data-test="accept" onClick=${() => act({ type: 'accept', ...(body !== inc.proposedBodyId ? { bodyId: body } : {}) })}>Принять и направить</button>
      <select value="" onChange=${(e) => e.target.value && act({ type: 'reclassify', topic: e.target.value })} aria-label="сменить тему">
        <option value="">сменить тему…</option>${dir.topics.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
      </select>
      <button class="secondary" onClick=${() => act({ type: 'set_priority', priority: inc.priority === 'high' ? 'normal' : 'high' })}>
        ${inc.priority === 'high' ? 'Обычный приоритет' : 'Высокий приоритет'}
      </button>
      ${rejecting
        ? html`<input value=${reason} onInput=${(e) => setReason(e.target.value)} placeholder="причина отклонения" data-test="reject-reason" />
            <button class="contrast" onClick=${() => act({ type: 'reject', reason })} data-test="reject-confirm">Отклонить</button>`
        : html`<button class="outline" onClick=${() => setRejecting(true)} data-test="reject">Отклонить…</button>`}
      <button class="outline secondary" title="Не обращение: реклама, болтовня, новости, объявление. Система учится на таких решениях." data-test="reject-noise"
        onClick=${() => act({ type: 'reject', reason: 'не обращение (шум)', noise: true })}>Шум</button>
      <a href=${`#/incident/${encodeURIComponent(inc.id)}`}>подробнее</a>
    </div>
    <${ErrorText} error=${error} />
  </article>`;
}

function AlertsScreen({ dir }) {
  const [filters, setFilters] = useState({});
  const [selected, setSelected] = useState(new Set());
  const [bulkReason, setBulkReason] = useState('');
  const [report, setReport] = useState('');
  const url = `/incidents${query({ status: 'alert', size: 50, sort: 'newest', ...filters })}`;
  const { page, error, fresh, reload } = useLiveList(url, []);
  const bulk = async (action) => {
    const items = [...selected].map((incidentId) => ({ incidentId, action }));
    const { results } = await api('POST', '/incidents/actions', { items });
    const failed = results.filter((r) => !r.ok);
    setReport(`Готово: ${results.length - failed.length}${failed.length ? `, не удалось: ${failed.length} (${errorText(failed[0].error.code, 400)})` : ''}`);
    setSelected(new Set());
    void reload();
  };
  return html`<section>
    <h2>Оповещения ${page ? html`<small data-test="alert-total">(${page.total})</small>` : null}
      ${fresh.size > 0 ? html`<span class="badge" data-test="fresh">новых: ${fresh.size}</span>` : null}</h2>
    <${Filters} dir=${dir} value=${filters} onChange=${setFilters} fields=${['priority']} />
    ${selected.size > 0
      ? html`<div class="actions" data-test="bulk">
          <strong>Выбрано: ${selected.size}</strong>
          <button onClick=${() => bulk({ type: 'accept' })}>Принять выбранные</button>
          <input value=${bulkReason} onInput=${(e) => setBulkReason(e.target.value)} placeholder="причина отклонения" />
          <button class="contrast" onClick=${() => bulk({ type: 'reject', reason: bulkReason })}>Отклонить выбранные</button>
        </div>`
      : null}
    ${report ? html`<p data-test="bulk-report">${report}</p>` : null}
    <${ErrorText} error=${error} />
    ${page === undefined ? html`<p aria-busy="true">Загрузка…</p>` : null}
    ${page?.items.length === 0 ? html`<p>Новых оповещений нет.</p>` : null}
    ${page?.items.map(
      (inc) => html`<${AlertCard} key=${`${inc.id}.${inc.version}`} inc=${inc} dir=${dir} fresh=${fresh.has(inc.id)} selected=${selected.has(inc.id)}
        onSelect=${(on) => setSelected((s) => { const n = new Set(s); if (on) n.add(inc.id); else n.delete(inc.id); return n; })}
        onDone=${reload} />`,
    )}
  </section>`;
}

function IncidentCard({ inc, dir }) {
  const cls = inc.sla?.breached ? ' breached' : inc.sla?.atRisk ? ' at-risk' : '';
  return html`<article class=${`card${cls}`} data-test="incident" data-id=${inc.id}>
    <${Meta} inc=${inc} dir=${dir} />
    <p><strong>${inc.bodyName ?? inc.bodyId ?? ''}</strong>${inc.sla ? ' — ' : ''}<${Countdown} sla=${inc.sla} zone=${inc.timeZone ?? dir.zone} /></p>
    <p class="post-text">${(inc.text ?? '').slice(0, 400)}</p>
    <a href=${`#/incident/${encodeURIComponent(inc.id)}`} data-test="open-incident">Открыть</a>
  </article>`;
}

function IncidentsScreen({ dir, title }) {
  const [filters, setFilters] = useState({});
  const url = `/incidents${query({ status: 'open', size: 100, sort: 'due', ...filters })}`;
  const { page, error } = useLiveList(url, []);
  return html`<section>
    <h2>${title} ${page ? html`<small>(${page.total})</small>` : null}</h2>
    <${Filters} dir=${dir} value=${filters} onChange=${setFilters} fields=${['priority', 'atRisk']} />
    <${ErrorText} error=${error} />
    ${page?.items.length === 0 ? html`<p>Открытых обращений нет.</p>` : null}
    ${page?.items.map((inc) => html`<${IncidentCard} key=${inc.id} inc=${inc} dir=${dir} />`)}
  </section>`;
}

/** Who acted, as people read it: the engine's parts by what they do, users by login, keys as keys. */
const SYSTEM_ACTORS = { pipeline: 'система: новый пост', 'sla-timer': 'система: таймер сроков', 'near-duplicates': 'система: поиск копий' };
function actorLabel(id) {
  if (SYSTEM_ACTORS[id]) return SYSTEM_ACTORS[id];
  if (id.startsWith('user:')) return id.slice(5);
  if (id.startsWith('key:')) return `API-ключ ${id.slice(4, 12)}`;
  return id;
}

/** The rules file's SLA policy names, in Russian. */
const SLA_POLICY = { standard: 'рабочие дни', 'round-the-clock': 'круглосуточно' };

function Timeline({ events, zone }) {
  return html`<ol data-test="timeline">
    ${events.map(
      (e) => html`<li>
        <small>${fmt(e.at, zone)}</small> — <strong>${ACTION[e.action] ?? e.action}</strong> (${actorLabel(e.actor.id)})
        ${e.reason ? html` — ${e.reason}` : null}
        ${e.details?.text ? html`<p class="post-text">${e.details.text}</p>` : null}
      </li>`,
    )}
  </ol>`;
}

function IncidentScreen({ id, dir, me }) {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState('');
  const [kind, setKind] = useState('final');
  const [text, setText] = useState('');
  const [bodyTo, setBodyTo] = useState('');
  const [reason, setReason] = useState('');
  const load = useCallback(async () => {
    try {
      setData(await api('GET', `/incidents/${encodeURIComponent(id)}`));
    } catch (err) {
      setError(err.status === 403 ? 'Нет доступа к этому обращению.' : err.message);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const act = async (action) => {
    setError('');
    try {
      await api('POST', `/incidents/${encodeURIComponent(id)}/actions`, { action, expectedVersion: data.incident.version });
      setText('');
      await load();
    } catch (err) {
      setError(err.message);
    }
  };
  if (!data) return html`<${ErrorText} error=${error} />${error ? null : html`<p aria-busy="true">Загрузка…</p>`}`;
  const inc = data.incident;
  const zone = inc.timeZone ?? dir.zone;
  const canAnswer = me.role !== 'analyst' && ['routed', 'in_progress', 'answered_interim'].includes(inc.status);
  return html`<section data-test="incident-detail">
    <p><a href="#/">← к списку</a></p>
    <h2>Обращение <small>${inc.id}</small></h2>
    <${Meta} inc=${inc} dir=${dir} />
    <p><strong>${inc.bodyName ?? inc.proposedBodyName ?? ''}</strong>${inc.sla ? ' — ' : ''}<${Countdown} sla=${inc.sla} zone=${zone} /></p>
    <${PostText} inc=${inc} />
    <${PostsPanel} id=${inc.id} zone=${zone} />
    ${inc.answers.length > 0
      ? html`<h4>Ответы</h4>${inc.answers.map((a) => html`<blockquote data-test="answer"><p class="post-text">${a.text}</p><footer>${a.kind === 'final' ? 'окончательный' : 'промежуточный'}, ${fmt(a.publishedAt, zone)}${a.published === true ? ' · опубликован под постом' : a.published === false ? ' · записан исполнителем' : ''}${safeUrl(a.url) ? html` · <a href=${safeUrl(a.url)} target="_blank" rel="noopener noreferrer">${a.published ? 'ответ на платформе' : 'ссылка исполнителя'}</a>` : null}</footer></blockquote>`)}`
      : null}
    <${ErrorText} error=${error} />
    ${me.role !== 'analyst' && inc.status === 'routed' ? html`<button class="secondary" onClick=${() => act({ type: 'take' })} data-test="take">Взять в работу</button>` : null}
    ${canAnswer
      ? html`<form data-test="answer-form" onSubmit=${(e) => { e.preventDefault(); void act({ type: 'answer', kind, text }); }}>
          <h4>Ответ заявителю</h4>
          <select value=${kind} onChange=${(e) => setKind(e.target.value)} data-test="answer-kind">
            <option value="interim">промежуточный</option><option value="final">окончательный</option>
          </select>
          <textarea value=${text} onInput=${(e) => setText(e.target.value)} rows="4" required data-test="answer-text" placeholder="Текст ответа (будет опубликован под постом, если платформа позволяет)"></textarea>
          <button type="submit" data-test="answer-submit">Отправить ответ</button>
        </form>`
      : null}
    ${me.role !== 'analyst' && ['routed', 'in_progress', 'answered_interim', 'paused'].includes(inc.status)
      ? html`<details><summary>Перенаправить</summary>
          <select value=${bodyTo} onChange=${(e) => setBodyTo(e.target.value)}><option value="">исполнитель…</option>${dir.bodies.map((b) => html`<option value=${b.id}>${b.name}</option>`)}</select>
          <input value=${reason} onInput=${(e) => setReason(e.target.value)} placeholder="причина" />
          <button onClick=${() => act({ type: 'reroute', bodyId: bodyTo, reason })}>Перенаправить</button>
        </details>`
      : null}
    ${inc.status === 'answered_final' && me.role !== 'analyst' ? html`<button onClick=${() => act({ type: 'close' })}>Закрыть</button>` : null}
    <h4>История</h4>
    <${Timeline} events=${data.events} zone=${zone} />
  </section>`;
}

function TrendChart({ buckets, dir }) {
  const canvas = useRef(null);
  useEffect(() => {
    if (!canvas.current || !window.Chart) return undefined;
    const keys = [...new Set(buckets.flatMap((b) => Object.keys(b.by)))];
    const chart = new window.Chart(canvas.current, {
      type: 'line',
      data: {
        labels: buckets.map((b) => fmt(b.key, 'UTC').split(',')[0]),
        datasets: keys.map((k) => ({ label: topicName(dir, k), data: buckets.map((b) => b.by[k] ?? 0), tension: 0.2 })),
      },
      options: { animation: false, responsive: true, plugins: { legend: { position: 'bottom' } } },
    });
    return () => chart.destroy();
  }, [buckets]);
  return html`<canvas ref=${canvas} data-test="trend-chart" height="110"></canvas>`;
}

const MIN_VOLUME = 5;

function SearchScreen({ dir }) {
  const [filters, setFilters] = useState({});
  const [result, setResult] = useState(undefined);
  const [facets, setFacets] = useState({});
  const [trend, setTrend] = useState([]);
  const [sla, setSla] = useState([]);
  const [error, setError] = useState('');
  useEffect(() => {
    const f = { ...filters };
    const t = setTimeout(async () => {
      try {
        const [r, tr, s, ...fs] = await Promise.all([
          api('GET', `/search${query({ ...f, size: 20 })}`),
          api('GET', `/trends${query({ ...f, interval: 'day', by: 'topic' })}`),
          api('GET', '/aggregations/sla'),
          ...['topic', 'sentiment', 'platform', 'territory'].map((field) => api('GET', `/aggregations/terms${query({ ...f, field, size: 8 })}`)),
        ]);
        setResult(r);
        setTrend(tr.buckets);
        setSla(s.bodies);
        setFacets(Object.fromEntries(fs.map((x) => [x.field, x.terms])));
        setError('');
      } catch (err) {
        setError(err.message);
      }
    }, 250);
    return () => clearTimeout(t);
  }, [JSON.stringify(filters)]);
  const label = (field, key) => (field === 'topic' ? topicName(dir, key) : field === 'sentiment' ? SENTIMENT[key] : field === 'platform' ? PLATFORM[key] : key);
  const ranked = [...sla].filter((r) => r.measured >= MIN_VOLUME).sort((a, b) => (b.compliance ?? 0) - (a.compliance ?? 0));
  const small = sla.filter((r) => r.measured < MIN_VOLUME);
  const month = new Date().toISOString().slice(0, 7);
  const quarter = `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5)) - 1) / 3) + 1}`;
  return html`<section>
    <h2>Поиск и аналитика</h2>
    <p data-test="reports">Отчёты:
      <a href=${`/reports/monthly?month=${month}`} target="_blank" rel="noopener">записка за ${month}</a> (<a href=${`/reports/monthly?month=${month}&format=csv`}>CSV</a>) ·
      <a href=${`/reports/quarterly?quarter=${quarter}`} target="_blank" rel="noopener">рейтинг исполнителей за ${quarter}</a> (<a href=${`/reports/quarterly?quarter=${quarter}&format=csv`}>CSV</a>)</p>
    <${Filters} dir=${dir} value=${filters} onChange=${setFilters} fields=${['q']} />
    <${ErrorText} error=${error} />
    <div class="grid-2">
      <aside>
        ${Object.entries(facets).map(
          ([field, terms]) => html`<div class="facet"><h6>${{ topic: 'Темы', sentiment: 'Тональность', platform: 'Платформы', territory: 'Территории' }[field]}</h6>
            ${terms.map((t) => html`<button class="outline secondary" onClick=${() => setFilters({ ...filters, [field]: t.key })}>${label(field, t.key)} — ${t.count}</button>`)}</div>`,
        )}
      </aside>
      <div>
        <h4>Динамика по темам</h4>
        <${TrendChart} buckets=${trend} dir=${dir} />
        <h4>Найдено: <span data-test="search-total">${result?.total ?? '…'}</span>
          <a role="button" class="outline" style="margin-left:1rem" href=${`/search/export.csv${query(filters)}`} data-test="export-csv">Выгрузить CSV</a></h4>
        ${result?.items.map(
          (h) => html`<article class="card" data-test="hit">
            <div class="meta"><span>${fmt(h.createdAt, dir.zone)}</span><span>${PLATFORM[h.platform] ?? h.platform}</span><span>${topicName(dir, h.topic)}</span>
              <span>${SENTIMENT[h.sentiment] ?? h.sentiment}</span>${h.territory ? html`<span>${h.territory}</span>` : null}
              ${h.incidentId ? html`<a href=${`#/incident/${encodeURIComponent(h.incidentId)}`}>обращение</a>` : null}</div>
            <p class="post-text">${h.text}</p>
            ${safeUrl(h.permalink) ? html`<a href=${safeUrl(h.permalink)} target="_blank" rel="noopener noreferrer nofollow">пост ↗</a>` : null}
          </article>`,
        )}
        <h4>Рейтинг исполнителей (первый ответ в срок)</h4>
        <table class="compact" data-test="leaderboard"><thead><tr><th>Исполнитель</th><th>Ответов</th><th>В срок</th><th>Медиана, раб. мин</th><th>Просрочено сейчас</th></tr></thead>
          <tbody>${ranked.map((r) => html`<tr><td>${dir.bodyNames.get(r.bodyId) ?? r.bodyId}</td><td>${r.measured}</td><td>${r.compliance === null ? '—' : `${Math.round(r.compliance * 100)} %`}</td><td>${r.medianWorkingMinutes ?? '—'}</td><td>${r.overdueNow}</td></tr>`)}</tbody>
        </table>
        ${small.length > 0 ? html`<p class="meta">Не ранжируются (меньше ${MIN_VOLUME} ответов): ${small.map((r) => dir.bodyNames.get(r.bodyId) ?? r.bodyId).join(', ')}</p>` : null}
      </div>
    </div>
  </section>`;
}

/** A body with its notification targets; admins change them here (over the rules file) or reset them. */
function BodyRow({ body, dir, target, run }) {
  const [editing, setEditing] = useState(false);
  const [chat, setChat] = useState('');
  const [hook, setHook] = useState('');
  const [dropHook, setDropHook] = useState(false);
  const shown = target ? [target.telegramChatId ? `Telegram ${target.telegramChatId}` : '', target.webhook ? `вебхук ${target.webhook.origin}/…` : ''].filter(Boolean).join(', ') || 'не уведомляется' : '—';
  const save = (e) => {
    e.preventDefault();
    // An empty webhook field keeps the current webhook (its address is never shown in full).
    const webhookUrl = dropHook ? null : hook.trim() === '' ? undefined : hook.trim();
    void run(async () => {
      await api('PATCH', `/notifications/targets/${encodeURIComponent(body.id)}`, { telegramChatId: chat.trim() === '' ? null : chat.trim(), ...(webhookUrl === undefined ? {} : { webhookUrl }) });
      setEditing(false);
    });
  };
  return html`<tr data-test="body" data-id=${body.id}><td>${body.id}</td><td>${body.name}</td><td>${body.parent ? dir.bodyNames.get(body.parent) : ''}</td><td>${zoneLabel(body.timeZone)}</td><td>${SLA_POLICY[body.sla] ?? body.sla}</td>
    <td data-test="notify">${shown}${target?.origin === 'api' ? html`<br /><small>изменено ${actorLabel(target.updatedBy)}, ${fmt(target.updatedAt, dir.zone)}</small>` : null}
      ${editing
        ? html`<form onSubmit=${save} data-test="notify-form">
            <input placeholder="id чата Telegram (пусто — не слать)" value=${chat} onInput=${(e) => setChat(e.target.value)} data-test="notify-chat" />
            <input placeholder="новый URL вебхука https://… (пусто — оставить как есть)" value=${hook} onInput=${(e) => setHook(e.target.value)} data-test="notify-webhook" />
            ${target?.webhook ? html`<label><input type="checkbox" checked=${dropHook} onChange=${(e) => setDropHook(e.target.checked)} /> убрать вебхук</label>` : null}
            <button type="submit" class="small" data-test="notify-save">Сохранить</button>
          </form>`
        : null}</td>
    <td><button class="outline small" onClick=${() => { setChat(target?.telegramChatId ?? ''); setHook(''); setDropHook(false); setEditing(!editing); }} data-test="notify-edit">${editing ? 'Отмена' : 'Изменить'}</button>
      ${target?.origin === 'api' ? html`<button class="outline secondary small" onClick=${() => run(() => api('DELETE', `/notifications/targets/${encodeURIComponent(body.id)}`))} data-test="notify-reset">Как в файле правил</button>` : null}</td></tr>`;
}

/** The route table: edited as a whole, saved over the rules file (workers pick it up within a second), or reset to it. */
function RoutingEditor({ routing, dir, run }) {
  const [draft, setDraft] = useState(undefined);
  const rows = draft?.routes ?? routing.items;
  const fallback = draft?.fallbackBody ?? routing.fallbackBody;
  const edit = (fn) => setDraft(fn({ fallbackBody: fallback, routes: rows.map((r) => ({ ...r })) }));
  const setRow = (i, patch) => edit((d) => ({ ...d, routes: d.routes.map((r, k) => (k === i ? { ...r, ...patch } : r)) }));
  const save = () =>
    run(async () => {
      const routes = rows.map((r) => {
        const keywords = (Array.isArray(r.keywords) ? r.keywords : String(r.keywords ?? '').split(',')).map((k) => k.trim()).filter(Boolean);
        return { topic: r.topic, body: r.body, ...(r.territory?.trim() ? { territory: r.territory.trim() } : {}), ...(keywords.length > 0 ? { keywords } : {}) };
      });
      await api('PUT', '/routing', { fallbackBody: fallback, routes });
      setDraft(undefined);
    });
  const options = (list, value) => list.map((o) => html`<option value=${o.id} selected=${o.id === value}>${o.name}</option>`);
  return html`<div data-test="routing">
    <p class="meta">${routing.origin === 'api' ? `Изменено через консоль: ${actorLabel(routing.updatedBy)}, ${fmt(routing.updatedAt, dir.zone)}` : 'Как в файле правил (rules/routing.json).'} Срабатывает самое точное правило: тема × территория × ключевые слова.</p>
    <table class="compact" data-test="routes"><thead><tr><th>Тема</th><th>Территория</th><th>Ключевые слова (основы, через запятую)</th><th>Исполнитель</th><th></th></tr></thead>
      <tbody>${rows.map((r, i) => html`<tr data-test="route-row">
        <td><select onChange=${(e) => setRow(i, { topic: e.target.value })} aria-label="тема">${options(dir.topics, r.topic)}</select></td>
        <td><input value=${r.territory ?? ''} placeholder="любая" onInput=${(e) => setRow(i, { territory: e.target.value })} aria-label="территория" /></td>
        <td><input value=${Array.isArray(r.keywords) ? r.keywords.join(', ') : (r.keywords ?? '')} onInput=${(e) => setRow(i, { keywords: e.target.value })} aria-label="ключевые слова" /></td>
        <td><select onChange=${(e) => setRow(i, { body: e.target.value })} aria-label="исполнитель" data-test="route-body">${options(dir.bodies, r.body)}</select></td>
        <td><button class="outline secondary small" onClick=${() => edit((d) => ({ ...d, routes: d.routes.filter((_, k) => k !== i) }))} aria-label="удалить правило">✕</button></td>
      </tr>`)}</tbody></table>
    <label>Если ни одно правило не подошло: <select onChange=${(e) => edit((d) => ({ ...d, fallbackBody: e.target.value }))} data-test="route-fallback">${options(dir.bodies, fallback)}</select></label>
    <div class="actions">
      <button class="secondary small" onClick=${() => edit((d) => ({ ...d, routes: [...d.routes, { topic: dir.topics[0]?.id, body: fallback }] }))} data-test="route-add">Добавить правило</button>
      ${draft ? html`<button class="small" onClick=${save} data-test="route-save">Сохранить маршрутизацию</button><button class="outline small" onClick=${() => setDraft(undefined)}>Отменить изменения</button>` : null}
      ${routing.origin === 'api' && !draft ? html`<button class="outline secondary small" onClick=${() => run(() => api('DELETE', '/routing'))} data-test="route-reset">Как в файле правил</button>` : null}
    </div>
  </div>`;
}

const MODEL_KIND = { topics: 'Темы', problem: 'Обращение или нет', sentiment: 'Тональность' };

/** The models in force: shipped or retrained from moderators' decisions, with their measured quality. */
function ModelsPanel({ models, dir, run }) {
  if (!models) return null;
  const quality = (q) => (q ? `${q.candidate.toFixed(3)} против ${q.current.toFixed(3)} у прежней на ${q.heldOut} отложенных решениях` : '—');
  return html`<table class="compact" data-test="models"><thead><tr><th>Модель</th><th>Версия</th><th>Обучена на</th><th>Качество</th></tr></thead>
      <tbody>${['topics', 'problem', 'sentiment'].filter((k) => models[k]).map((k) => html`<tr><td>${MODEL_KIND[k]}</td>
        <td>${models[k].version === 'shipped' ? 'поставочная' : html`${models[k].version}, ${fmt(models[k].promotedAt, dir.zone)}`}</td>
        <td>${models[k].decisions !== undefined ? `${models[k].decisions} решений модераторов и примеры проекта` : 'примеры проекта'}</td>
        <td>${quality(models[k].quality)}</td></tr>`)}</tbody></table>
    <p>Решений модераторов: <strong data-test="decisions">${models.decisions}</strong>.
      ${models.retrainings[0] ? ` Последнее переобучение ${fmt(models.retrainings[0].at, dir.zone)}: ${models.retrainings.filter((r) => r.at === models.retrainings[0].at).map((r) => `${MODEL_KIND[r.kind]} — ${r.promoted ? 'принята' : 'отклонена'}`).join(', ')}.` : ' Переобучений ещё не было.'}
      <button class="secondary" style="width:auto" data-test="retrain" onClick=${() => run(() => api('POST', '/models/retrain', {}))}>Переобучить сейчас</button></p>`;
}

function AdminScreen({ dir }) {
  const [models, setModels] = useState(undefined);
  const [users, setUsers] = useState([]);
  const [keys, setKeys] = useState([]);
  const [sources, setSources] = useState([]);
  const [routing, setRouting] = useState({ items: [] });
  const [targets, setTargets] = useState([]);
  const [form, setForm] = useState({ login: '', name: '', password: '', role: 'moderator', bodyId: '', regions: '' });
  const [newKey, setNewKey] = useState('');
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      const [u, k, s, r, n, m] = await Promise.all([allPages('/users'), allPages('/api-keys'), allPages('/sources'), allPages('/routing'), allPages('/notifications/targets'), api('GET', '/models')]);
      setModels(m);
      setRouting(r);
      setTargets(n.items);
      setUsers(u.items);
      setKeys(k.items);
      setSources(s.items);
    } catch (err) {
      setError(err.message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const run = async (fn) => {
    setError('');
    try {
      await fn();
      await load();
    } catch (err) {
      setError(err.message);
    }
  };
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const create = (e) => {
    e.preventDefault();
    const regions = form.regions.split(',').map((r) => r.trim()).filter(Boolean);
    void run(() => api('POST', '/users', { login: form.login, name: form.name, password: form.password, role: form.role, ...(form.role === 'responder' ? { bodyId: form.bodyId } : {}), ...(form.role === 'moderator' ? { regions } : {}) }));
  };
  return html`<section>
    <h2>Администрирование</h2>
    <${ErrorText} error=${error} />
    <h4>Источники</h4>
    <table class="compact" data-test="sources"><thead><tr><th>Источник</th><th>Последний успешный опрос</th><th>Отставание</th><th>Постов</th><th>Ошибки</th><th>Пауза</th></tr></thead>
      <tbody>${sources.map((s) => html`<tr><td>${s.sourceId}</td><td>${fmt(s.lastSuccessAt, dir.zone)}</td><td>${s.lagSeconds === undefined ? '—' : `${s.lagSeconds} с`}</td><td>${s.itemsSeen}</td>
        <td>${Object.entries(s.errors).map(([k, v]) => `${k}: ${v}`).join(', ') || '—'}</td><td>${s.paused ? `до ${fmt(s.paused.until, dir.zone)}: ${s.paused.reason}` : '—'}</td></tr>`)}</tbody></table>
    <h4>Пользователи</h4>
    <table class="compact" data-test="users"><thead><tr><th>Логин</th><th>Имя</th><th>Роль</th><th>Исполнитель / регионы</th><th></th></tr></thead>
      <tbody>${users.map((u) => html`<tr><td>${u.login}</td><td>${u.name}</td><td>${ROLE[u.role]}</td><td>${u.bodyId ? dir.bodyNames.get(u.bodyId) ?? u.bodyId : u.regions.join(', ')}</td>
        <td><button class="outline" style="width:auto" onClick=${() => run(() => api('PATCH', `/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled }))}>${u.disabled ? 'Включить' : 'Отключить'}</button></td></tr>`)}</tbody></table>
    <form onSubmit=${create} data-test="user-form">
      <div class="grid">
        <input placeholder="логин" value=${form.login} onInput=${set('login')} required />
        <input placeholder="имя" value=${form.name} onInput=${set('name')} required />
        <input placeholder="пароль (10+ символов)" type="password" value=${form.password} onInput=${set('password')} required />
        <select value=${form.role} onChange=${set('role')}>${Object.entries(ROLE).map(([k, v]) => html`<option value=${k}>${v}</option>`)}</select>
        ${form.role === 'responder' ? html`<select value=${form.bodyId} onChange=${set('bodyId')} required><option value="">исполнитель…</option>${dir.bodies.map((b) => html`<option value=${b.id}>${b.name}</option>`)}</select>` : null}
        ${form.role === 'moderator' ? html`<input placeholder="регионы через запятую (пусто — все)" value=${form.regions} onInput=${set('regions')} />` : null}
      </div>
      <button type="submit">Создать пользователя</button>
    </form>
    <h4>API-ключи</h4>
    ${newKey ? html`<p>Новый ключ (показывается один раз): <code data-test="new-key">${newKey}</code></p>` : null}
    <ul>${keys.map((k) => html`<li>${k.name} — ${ROLE[k.role]}, ${k.prefix}…, создан ${fmt(k.createdAt, dir.zone)} <button class="outline" style="width:auto" onClick=${() => run(() => api('DELETE', `/api-keys/${k.id}`))}>Отозвать</button></li>`)}</ul>
    <button class="secondary" style="width:auto" onClick=${() => run(async () => { const r = await api('POST', '/api-keys', { name: `ключ ${new Date().toISOString().slice(0, 10)}`, role: 'analyst' }); setNewKey(r.key); })}>Создать ключ аналитика</button>
    <h4>Исполнители и уведомления</h4>
    <table class="compact" data-test="bodies"><thead><tr><th>Id</th><th>Название</th><th>Вышестоящий</th><th>Часовой пояс</th><th>SLA</th><th>Уведомления</th><th></th></tr></thead>
      <tbody>${dir.bodies.map((b) => html`<${BodyRow} body=${b} dir=${dir} target=${targets.find((x) => x.bodyId === b.id)} run=${run} />`)}</tbody></table>
    <h4>Маршрутизация</h4>
    <${RoutingEditor} routing=${routing} dir=${dir} run=${run} />
    <h4>Модели классификации</h4>
    <${ModelsPanel} models=${models} dir=${dir} run=${run} />
  </section>`;
}

const SCREENS = {
  admin: [['alerts', 'Оповещения'], ['incidents', 'Обращения'], ['search', 'Поиск и аналитика'], ['admin', 'Администрирование']],
  moderator: [['alerts', 'Оповещения'], ['incidents', 'Обращения'], ['search', 'Поиск и аналитика']],
  responder: [['desk', 'Мои обращения']],
  analyst: [['search', 'Поиск и аналитика'], ['incidents', 'Обращения']],
};

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Shell({ me, dir, onLogout }) {
  const hash = useHash();
  const screens = SCREENS[me.role] ?? [];
  const [, route, arg] = hash.split('/');
  const current = route && (route === 'incident' || screens.some(([id]) => id === route)) ? route : screens[0]?.[0];
  let screen;
  if (current === 'incident' && arg) screen = html`<${IncidentScreen} id=${decodeURIComponent(arg)} dir=${dir} me=${me} />`;
  else if (current === 'alerts') screen = html`<${AlertsScreen} dir=${dir} />`;
  else if (current === 'incidents') screen = html`<${IncidentsScreen} dir=${dir} title="Обращения в работе" />`;
  else if (current === 'desk') screen = html`<${IncidentsScreen} dir=${dir} title=${`Обращения: ${dir.bodyNames.get(me.bodyId) ?? ''}`} />`;
  else if (current === 'search') screen = html`<${SearchScreen} dir=${dir} />`;
  else if (current === 'admin') screen = html`<${AdminScreen} dir=${dir} />`;
  return html`<div>
    <nav class="top">
      <ul><li><strong>Отклик</strong></li>${screens.map(([id, name]) => html`<li><a href=${`#/${id}`} aria-current=${current === id ? 'page' : undefined} data-test=${`nav-${id}`}>${name}</a></li>`)}</ul>
      <ul><li><small data-test="whoami" title=${dir.zone}>${me.name} · ${ROLE[me.role]} · ${zoneLabel(dir.zone)}</small></li><li><a href="#/" onClick=${onLogout}>Выйти</a></li></ul>
    </nav>
    ${screen}
  </div>`;
}

function App() {
  const [me, setMe] = useState(undefined);
  const [dir, setDir] = useState(undefined);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      const who = await api('GET', '/auth/me');
      const [bodies, topics] = await Promise.all([allPages('/bodies'), allPages('/topics')]);
      const bodyNames = new Map(bodies.items.map((b) => [b.id, b.name]));
      const own = bodies.items.find((b) => b.id === who.bodyId);
      // Times are shown in the viewer's body zone; people without a body see the zone most bodies
      // of the region keep (the control center's), not their browser's.
      const zones = bodies.items.map((b) => b.timeZone);
      const common = zones.sort((a, b) => zones.filter((z) => z === b).length - zones.filter((z) => z === a).length)[0];
      const zone = own?.timeZone ?? common ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      setDir({ bodies: bodies.items, bodyNames, topics: topics.items, topicNames: new Map(topics.items.map((t) => [t.id, t.name])), zone });
      setMe(who);
    } catch (err) {
      if (err.status === 401) setMe(null);
      else setError(err.message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const logout = async (e) => {
    e.preventDefault();
    await api('POST', '/auth/logout', {}).catch(() => undefined);
    setMe(null);
  };
  if (error) return html`<${ErrorText} error=${error} />`;
  if (me === undefined) return html`<p aria-busy="true">Загрузка…</p>`;
  if (me === null) return html`<${Login} onDone=${load} />`;
  return html`<${Shell} me=${me} dir=${dir} onLogout=${logout} />`;
}

render(html`<${App} />`, document.getElementById('app'));
