// Pieces several screens show: the countdown, a post's text, hits, the posts panel, filters.
// Every text from a post goes through Preact's text nodes, never innerHTML: posts are hostile input.
import { html, useState, useEffect } from '/vendor/standalone.module.js';
import { api } from './api.js';
import { useNow } from './hooks.js';
import { DEADLINE_KIND, PLATFORM, SENTIMENT, STATUS, TYPE, duration, fmt, safeUrl, topicName, zoneLabel } from './format.js';

/** Time left to the next deadline, ticking, with which deadline it is and its time in the body's zone. */
export function Countdown({ sla, zone }) {
  const now = useNow();
  if (!sla) return null;
  const left = Date.parse(sla.dueAt) - now;
  const kind = DEADLINE_KIND[sla.kind] ?? 'срок';
  return html`<span class=${`countdown${left < 0 ? ' late' : ''}`} data-test="countdown" title=${`${kind}: до ${fmt(sla.dueAt, zone)} (${zoneLabel(zone)})`}>
    ${kind}: ${left < 0 ? `просрочен на ${duration(left)}` : `осталось ${duration(left)}`} · до ${fmt(sla.dueAt, zone)} (${zoneLabel(zone)})
  </span>`;
}

export function ErrorText({ error }) {
  return error ? html`<p class="error" role="alert" data-test="error">${error}</p>` : null;
}

export function Meta({ inc, dir }) {
  const copies = inc.postIds.length - 1;
  const platform = inc.postIds[0]?.split(':')[0];
  return html`<div class="meta">
    <span class="badge">${STATUS[inc.status] ?? inc.status}</span>
    ${inc.priority === 'high' ? html`<span class="badge high">высокий приоритет</span>` : null}
    <span>${topicName(dir, inc.subtopic ?? inc.topic)}</span>
    ${inc.territory ? html`<span>${inc.territory}</span>` : null}
    ${inc.territoryCandidates?.length > 1 ? html`<span class="badge" data-test="territory-candidates" title="улица с таким названием есть в нескольких местах, а пост не говорит, в каком">где именно? ${inc.territoryCandidates.join(' или ')}</span>` : null}
    <span>${TYPE[inc.type] ?? inc.type}</span>
    <span>${SENTIMENT[inc.sentiment?.label] ?? ''}</span>
    <span>${PLATFORM[platform] ?? platform}</span>
    <span data-test="posted-at" title="когда пост написан на платформе">написан ${fmt(inc.postedAt ?? inc.createdAt, dir.zone)}</span>
    ${inc.postedAt && inc.createdAt.slice(0, 16) !== inc.postedAt.slice(0, 16) ? html`<span title="когда система его получила">получен ${fmt(inc.createdAt, dir.zone)}</span>` : null}
    ${copies > 0 ? html`<span data-test="copies">+${copies} ${copies === 1 ? 'копия' : 'копий'}</span>` : null}
  </div>`;
}

const SHORT = 600;
/** The engine keeps the first 4,000 characters of an opening post. */
const KEPT = 4000;

/** A post's text: long ones folded with a visible cue, cut ones say where the rest is. */
export function PostText({ inc }) {
  const [open, setOpen] = useState(false);
  const text = inc.text ?? '';
  const link = safeUrl(inc.permalink);
  const long = text.length > SHORT;
  return html`<div>
    <p class="post-text" data-test="post-text">${text === '' ? '(текст недоступен)' : long && !open ? `${text.slice(0, SHORT)}…` : text}</p>
    ${long ? html`<button class="outline secondary small" data-test="post-expand" onClick=${() => setOpen(!open)}>${open ? 'Свернуть' : `Показать полностью (ещё ${text.length - SHORT} знаков)`}</button>` : null}
    ${text.length >= KEPT ? html`<small> Текст обрезан системой на ${KEPT} знаках, полностью — в посте.</small>` : null}
    ${link ? html` <a href=${link} target="_blank" rel="noopener noreferrer nofollow">Открыть пост в соцсети ↗</a>` : null}
  </div>`;
}

export function Hit({ hit, zone }) {
  const link = safeUrl(hit.permalink);
  return html`<article class="hit" data-test="post-hit" data-id=${hit.id}>
    <div class="meta"><span>${PLATFORM[hit.platform] ?? hit.platform}</span><span>${hit.source}</span><span>${fmt(hit.createdAt, zone)}</span>
      ${hit.deletedAt ? html`<span class="badge">удалён на платформе</span>` : null}
      ${link ? html`<a href=${link} target="_blank" rel="noopener noreferrer nofollow">↗</a>` : null}</div>
    <p class="post-text">${hit.text}</p>
  </article>`;
}

/** The incident's posts side by side (opening post and copies), what a comment answers, and the thread under them. */
export function PostsPanel({ inc, zone, copiesOnly, onSplit }) {
  const id = inc.id;
  const [data, setData] = useState(undefined);
  const [page, setPage] = useState(1);
  const [error, setError] = useState('');
  useEffect(() => {
    api('GET', `/incidents/${encodeURIComponent(id)}/posts?page=${page}`).then(setData, (err) => setError(err.message));
  }, [id, page, inc.version]);
  if (!data) return html`<${ErrorText} error=${error} />${error ? null : html`<p aria-busy="true">Загрузка…</p>`}`;
  return html`<div data-test="posts-panel">
    ${data.context.length > 0 ? html`<h5>Комментарий к посту</h5>${data.context.map((h) => html`<${Hit} hit=${h} zone=${zone} />`)}` : null}
    ${copiesOnly || data.posts.total > 1
      ? html`<h5>Публикации: исходная и копии (${data.posts.total})</h5>
          <div class="side-by-side" data-test="copies-list">${data.posts.items.map((h) => html`<div><${Hit} hit=${h} zone=${zone} />
            ${onSplit && inc.postIds.length > 1 && h.id !== inc.postIds[0] ? html`<button class="outline secondary small" data-test="split-off" onClick=${() => onSplit(h.id)}>Выделить в отдельное оповещение</button>` : null}</div>`)}</div>`
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

/** The gazetteer's territories as a picker: a district under its city, the choice covers its parts. */
export function TerritoryPicker({ dir, value, onChange }) {
  return html`<select data-test="filter-territory" value=${value ?? ''} onChange=${(e) => { onChange(e.target.value); e.target.blur(); }} aria-label="территория">
    <option value="">все территории</option>
    ${dir.territories.map((t) => html`<option value=${t.id}>${'\u00a0\u00a0'.repeat(t.depth)}${t.depth > 0 && t.parent ? t.id.replace(`${t.parent}, `, '') : t.id}</option>`)}
  </select>`;
}

/**
 * The list filters. `compact` (the queue) keeps the labels for screen readers only, so the filters
 * take one line. A choice made with the mouse gives the keyboard back to the list (shortcuts work).
 */
export function Filters({ dir, value, onChange, fields, compact }) {
  const set = (k) => (e) => {
    onChange({ ...value, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value, page: undefined });
    if (e.target.tagName === 'SELECT') e.target.blur();
  };
  const L = (text) => (compact ? html`<span class="sr-only">${text}</span>` : text);
  const groups = dir.topics.filter((t) => !t.id.includes('.'));
  const territory = Array.isArray(value.territory) ? value.territory[0] : value.territory;
  return html`<form class=${`filters${compact ? ' compact' : ''}`} onSubmit=${(e) => e.preventDefault()}>
    ${fields.includes('q') ? html`<label>${L('Текст')}<input data-test="filter-q" value=${value.q ?? ''} onInput=${set('q')} placeholder=${compact ? 'текст (/)' : 'слова из поста'} /></label>` : null}
    <label>${L('Тема')}<select data-test="filter-topic" value=${value.topic ?? ''} onChange=${set('topic')}>
      <option value="">${compact ? 'все темы' : 'все'}</option>${groups.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
    </select></label>
    <label>${L('Территория')}<${TerritoryPicker} dir=${dir} value=${territory} onChange=${(t) => onChange({ ...value, territory: t === '' ? undefined : [t], page: undefined })} /></label>
    <label>${L('Тональность')}<select value=${value.sentiment ?? ''} onChange=${set('sentiment')}>
      <option value="">${compact ? 'любая тональность' : 'все'}</option>${Object.entries(SENTIMENT).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select></label>
    <label>${L('Тип')}<select value=${value.type ?? ''} onChange=${set('type')}>
      <option value="">${compact ? 'все типы' : 'все'}</option>${Object.entries(TYPE).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select></label>
    <label>${L('Источник')}<select value=${value.platform ?? ''} onChange=${set('platform')}>
      <option value="">${compact ? 'все платформы' : 'все'}</option>${Object.entries(PLATFORM).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select></label>
    ${fields.includes('priority') ? html`<label>${L('Приоритет')}<select value=${value.priority ?? ''} onChange=${set('priority')}>
      <option value="">${compact ? 'любой приоритет' : 'все'}</option><option value="high">высокий</option><option value="normal">обычный</option>
    </select></label>` : null}
    ${fields.includes('atRisk') ? html`<label><input type="checkbox" role="switch" checked=${value.atRisk === true || value.atRisk === 'true'} onChange=${set('atRisk')} /> срок под угрозой</label>` : null}
  </form>`;
}

/** Surges of posts about a topic in a territory found in the last day: what rose, how far beyond normal. */
export function SpikesPanel({ dir }) {
  const [spikes, setSpikes] = useState(undefined);
  useEffect(() => {
    const load = () => api('GET', '/spikes').then((r) => setSpikes(r.items.filter((s) => Date.now() - Date.parse(s.hour) < 86_400_000)), () => setSpikes([]));
    void load();
    const t = setInterval(load, 60_000);
    return () => clearInterval(t);
  }, []);
  if (!spikes || spikes.length === 0) return null;
  return html`<details class="panel spikes" data-test="spikes" open>
    <summary><strong>Всплески за сутки: ${spikes.length}</strong></summary>
    ${spikes.map((s) => html`<div class="spike" data-test="spike">
      <strong>${topicName(dir, s.topic)}, ${s.territory}</strong> — ${fmt(s.hour, dir.zone)}: ${s.count} ${s.kind === 'alerts' ? 'оповещений' : 'постов'} за час при обычных ${s.range[0]}–${s.range[1]}
      ${s.rising.length ? html`<br /><small>Чаще обычного: ${s.rising.slice(0, 6).join(', ')}</small>` : null}
      ${s.top.slice(0, 2).map((p) => html`<p class="post-text"><small>${p.text}</small></p>`)}
    </div>`)}
  </details>`;
}
