// The moderators' queue: a compact table of alerts with a preview of the one under the cursor,
// paged and sorted, driven by the keyboard like a mail client. Actions show at once and roll back
// if the server refuses.
import { html, useState, useEffect, useRef, useMemo } from '/vendor/standalone.module.js';
import { act, api, errorText, query } from '../api.js';
import { ErrorText, Filters, Meta, PostText, PostsPanel, SpikesPanel } from '../components.js';
import { POLL_MS, useHashState, useKeys, useNow } from '../hooks.js';
import { plural, shortDate, shortDuration, fmt, topicName } from '../format.js';
import { AlertActions } from './alert-actions.js';

const PAGE_SIZE = 20;
const SORTS = [
  ['priority', 'сначала высокий приоритет'],
  ['oldest', 'дольше всех ждут'],
  ['newest', 'сначала новые'],
  ['posted', 'по времени поста'],
];
const KEYS = [
  ['j / ↓', 'следующее'], ['k / ↑', 'предыдущее'], ['a', 'принять и направить'], ['r', 'отклонить (1–9 — готовая причина)'],
  ['n', 'шум: не обращение'], ['m', 'объединить с похожим (или отмеченные — в одно)'], ['p', 'приоритет'], ['t', 'сменить тему'], ['x', 'отметить'],
  ['*', 'отметить все на странице'], ['o / Enter', 'открыть'], ['/', 'поиск по тексту'], ['[ / ]', 'страница назад / вперёд'], ['?', 'эта справка'], ['Esc', 'закрыть панель'],
];

export function QueueScreen({ dir, presets }) {
  const [filters, setFilters] = useHashState({ sort: 'priority' });
  const page = Number(filters.page ?? 1);
  const url = `/incidents${query({ ...filters, status: 'alert', size: PAGE_SIZE, page })}`;
  const [list, setList] = useState(undefined);
  const [error, setError] = useState('');
  const [hidden, setHidden] = useState(new Set());
  // The cursor is the alert being read, by id: a list refreshing under it cannot move it to another
  // row between reading and pressing a key. When that alert leaves, the row now at its place takes it.
  const [selectedId, setSelectedId] = useState(undefined);
  const lastIndex = useRef(0);
  const [checked, setChecked] = useState(new Set());
  const [mode, setMode] = useState(null);
  const [report, setReport] = useState('');
  const [bulkReason, setBulkReason] = useState('');
  const [seenAt, setSeenAt] = useState(() => new Date().toISOString());
  const [fresh, setFresh] = useState(0);
  const [done, setDone] = useState(0);
  const now = useNow(30_000);
  const table = useRef(null);

  // Only the latest request's answer is shown: a slow answer for the list as it was (before a filter
  // changed, or before an action) must not replace a newer one.
  const latest = useRef(0);
  // A reload asked for by an action that finished after the filters changed reads the list as it is
  // now, not the one the action started on.
  const currentUrl = useRef(url);
  currentUrl.current = url;
  const load = async () => {
    const seq = ++latest.current;
    try {
      const p = await api('GET', currentUrl.current);
      if (seq !== latest.current) return;
      setList(p);
      setHidden((h) => new Set([...h].filter((id) => p.items.some((i) => i.id === id))));
      setError('');
    } catch (err) {
      if (seq === latest.current) setError(err.message);
    }
  };
  // «Новых»: alerts opened since the moderator last looked, counted by the server, not rows that slid onto the page.
  const countFresh = async () => {
    try {
      setFresh((await api('GET', `/incidents${query({ ...filters, page: undefined, sort: undefined, status: 'alert', after: seenAt, size: 1 })}`)).total);
    } catch {
      /* the list shows the error */
    }
  };
  useEffect(() => {
    void load();
    void countFresh();
    const t = setInterval(() => {
      void load();
      void countFresh();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [url, seenAt]);

  const rows = useMemo(() => (list?.items ?? []).filter((i) => !hidden.has(i.id)), [list, hidden]);
  const current = rows.find((i) => i.id === selectedId) ?? rows[Math.min(lastIndex.current, rows.length - 1)];
  const cursor = current ? rows.indexOf(current) : -1;
  if (cursor >= 0) lastIndex.current = cursor;
  // The row shown as the cursor becomes the one followed, also right after a filter reset left none.
  useEffect(() => {
    if (current && current.id !== selectedId) setSelectedId(current.id);
  }, [current?.id, selectedId]);
  const setCursor = (i) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
    if (row) setSelectedId(row.id);
  };
  useEffect(() => {
    table.current?.querySelector('tr[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current?.id]);

  const setFiltersAndReset = (f) => {
    setFilters(f);
    setSelectedId(undefined);
    lastIndex.current = 0;
    setChecked(new Set());
  };
  const goPage = (n) => setFiltersAndReset({ ...filters, page: n <= 1 ? undefined : n });
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;

  /** Acts on one alert; actions that end it (accept, reject, merge) hide it at once and bring it back if refused. */
  const run = async (kind, action, inc = current) => {
    if (!inc) return;
    const ends = kind === 'accept' || kind === 'reject' || kind === 'merge';
    setMode(null);
    setReport('');
    if (ends) {
      setHidden((h) => new Set([...h, inc.id]));
      setChecked((c) => {
        const n = new Set(c);
        n.delete(inc.id);
        return n;
      });
    }
    try {
      const r = await act(inc, action);
      // The row the server returned is the freshest version (for a merge: the incident that took the
      // posts), so the next key acts on it without a version conflict.
      setList((l) => l && { ...l, items: l.items.map((i) => (i.id === r.incident.id ? r.incident : i)) });
      if (ends) {
        setDone((d) => d + 1);
        void load();
      }
    } catch (err) {
      setHidden((h) => {
        const n = new Set(h);
        n.delete(inc.id);
        return n;
      });
      setReport(`Не выполнено: ${errorText(err.code, err.status)}`);
    }
  };

  const bulk = async (kind, makeAction, items = rows.filter((i) => checked.has(i.id))) => {
    if (items.length === 0) return;
    const sent = items.map((inc) => ({ incidentId: inc.id, action: makeAction(inc), expectedVersion: inc.version }));
    setHidden((h) => new Set([...h, ...items.map((i) => i.id)]));
    try {
      const { results } = await api('POST', '/incidents/actions', { items: sent });
      const failed = results.filter((r) => !r.ok);
      const fresh = new Map(results.filter((r) => r.ok).map((r) => [r.incident.id, r.incident]));
      setList((l) => l && { ...l, items: l.items.map((i) => fresh.get(i.id) ?? i) });
      setHidden((h) => new Set([...h].filter((id) => !failed.some((f) => f.incidentId === id))));
      setDone((d) => d + results.length - failed.length);
      setReport(`Готово: ${results.length - failed.length}${failed.length ? `, не удалось: ${failed.length} (${errorText(failed[0].error.code, 400)})` : ''}`);
    } catch (err) {
      setHidden((h) => new Set([...h].filter((id) => !items.some((i) => i.id === id))));
      setReport(`Не выполнено: ${errorText(err.code, err.status)}`);
    }
    setChecked(new Set());
    setBulkReason('');
    void load();
  };
  const bulkReject = () => {
    const reason = bulkReason.trim();
    if (reason.length < 3) return setReport('Укажите причину отклонения: выберите готовую или напишите свою (не короче 3 знаков).');
    return bulk('reject', () => ({ type: 'reject', reason }));
  };
  /** The selected alerts become one: all merge into the one waiting longest. */
  const bulkMerge = () => {
    const items = rows.filter((i) => checked.has(i.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (items.length < 2) return setReport('Для объединения отметьте хотя бы два оповещения.');
    const [into, ...rest] = items;
    return bulk('merge', () => ({ type: 'merge', intoId: into.id }), rest);
  };

  const toggle = (id) =>
    setChecked((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      // Escape closes a panel, or gives the keyboard back to the list from a field.
      if (mode) setMode(null);
      else if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      return;
    }
    // A digit typed before the reason field took focus still picks that preset.
    if (mode === 'reject' && /^[1-9]$/.test(e.key) && presets.rejectReasons[Number(e.key) - 1] && current) {
      e.preventDefault();
      void run('reject', { type: 'reject', reason: presets.rejectReasons[Number(e.key) - 1] });
      return;
    }
    if (mode === 'reject' || mode === 'merge') return;
    const k = e.key;
    const move = (d) => setCursor(cursor + d);
    const handlers = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      a: () => current && run('accept', { type: 'accept' }),
      r: () => current && setMode('reject'),
      n: () => current && run('reject', { type: 'reject', reason: 'не обращение (шум)', noise: true }),
      // With alerts marked, m makes them one; otherwise it offers likely duplicates of the current one.
      m: () => (checked.size > 1 ? bulkMerge() : current && setMode('merge')),
      p: () => current && run('priority', { type: 'set_priority', priority: current.priority === 'high' ? 'normal' : 'high' }),
      t: () => document.querySelector('[data-test="reclassify"]')?.focus(),
      x: () => current && toggle(current.id),
      '*': () => setChecked(checked.size === rows.length ? new Set() : new Set(rows.map((i) => i.id))),
      o: () => current && (location.hash = `#/incident/${encodeURIComponent(current.id)}`),
      Enter: () => current && (location.hash = `#/incident/${encodeURIComponent(current.id)}`),
      '/': () => document.querySelector('[data-test="filter-q"]')?.focus(),
      '[': () => page > 1 && goPage(page - 1),
      ']': () => page < pages && goPage(page + 1),
      '?': () => setMode(mode === 'help' ? null : 'help'),
    };
    const h = handlers[k];
    if (h) {
      e.preventDefault();
      h();
    }
  }, [rows, current, mode, checked, page, pages]);

  const allChecked = rows.length > 0 && rows.every((i) => checked.has(i.id));
  return html`<section class="queue">
    <div class="queue-head">
      <h2>Оповещения ${list ? html`<small data-test="alert-total">(${list.total})</small>` : null}
        ${fresh > 0 ? html`<button class="outline small" data-test="fresh" onClick=${() => { setSeenAt(new Date().toISOString()); setFresh(0); void load(); }}>новых: ${fresh} — показать</button>` : null}
        ${done > 0 ? html`<small class="meta" data-test="done-count"> разобрано за сеанс: ${done}</small>` : null}</h2>
      <label class="sort">Порядок <select data-test="sort" value=${filters.sort ?? 'priority'} onChange=${(e) => setFiltersAndReset({ ...filters, sort: e.target.value, page: undefined })}>
        ${SORTS.map(([k, v]) => html`<option value=${k}>${v}</option>`)}</select></label>
      <button class="outline secondary small" data-test="help" onClick=${() => setMode(mode === 'help' ? null : 'help')} title="клавиши">? клавиши</button>
    </div>
    <${Filters} dir=${dir} value=${filters} onChange=${setFiltersAndReset} fields=${['q', 'priority']} compact=${true} />
    <${SpikesPanel} dir=${dir} />
    ${mode === 'help' ? html`<div class="panel" data-test="keys-help"><strong>Клавиши</strong><dl class="keys">${KEYS.map(([k, v]) => html`<dt><kbd>${k}</kbd></dt><dd>${v}</dd>`)}</dl></div>` : null}
    ${checked.size > 0
      ? html`<div class="actions bulk" data-test="bulk">
          <strong>Отмечено: ${checked.size}</strong>
          <button class="small" onClick=${() => bulk('accept', () => ({ type: 'accept' }))} data-test="bulk-accept">Принять отмеченные</button>
          <select value=${bulkReason} onChange=${(e) => setBulkReason(e.target.value)} data-test="bulk-reason-preset" aria-label="готовая причина"><option value="">причина…</option>${presets.rejectReasons.map((r) => html`<option value=${r}>${r}</option>`)}</select>
          <input value=${bulkReason} onInput=${(e) => setBulkReason(e.target.value)} placeholder="или своя причина" data-test="bulk-reason" />
          <button class="contrast small" onClick=${bulkReject} data-test="bulk-reject">Отклонить отмеченные</button>
          <button class="outline small" onClick=${bulkMerge} data-test="bulk-merge">Объединить отмеченные в одно</button>
          <button class="outline secondary small" onClick=${() => setChecked(new Set())}>Снять отметки</button>
        </div>`
      : null}
    ${report ? html`<p data-test="bulk-report" role="status">${report}</p>` : null}
    <${ErrorText} error=${error} />
    ${list === undefined && !error ? html`<p aria-busy="true">Загрузка…</p>` : null}
    ${list && rows.length === 0 ? html`<p data-test="queue-empty">${list.total === 0 ? 'Новых оповещений нет.' : 'На этой странице всё разобрано.'}</p>` : null}
    <div class="queue-body">
      <div class="queue-list" ref=${table}>
        <table class="compact queue-table" data-test="queue">
          <thead><tr>
            <th><input type="checkbox" checked=${allChecked} onChange=${() => setChecked(allChecked ? new Set() : new Set(rows.map((i) => i.id)))} aria-label="отметить все на странице" data-test="check-all" /></th>
            <th title="высокий приоритет">!</th><th>Ждёт</th><th>Написан</th><th>Тема</th><th>Территория</th><th>Текст</th>
          </tr></thead>
          <tbody>${rows.map((inc, i) => html`<tr key=${inc.id} data-test="alert" data-id=${inc.id} aria-selected=${i === cursor ? 'true' : 'false'} class=${i === cursor ? 'cursor' : ''} onClick=${() => { setCursor(i); setMode(null); }}>
            <td><input type="checkbox" checked=${checked.has(inc.id)} onClick=${(e) => e.stopPropagation()} onChange=${() => toggle(inc.id)} aria-label="отметить" /></td>
            <td>${inc.priority === 'high' ? html`<span class="badge high" title="высокий приоритет">!</span>` : ''}</td>
            <td data-test="waiting" title=${`получен ${fmt(inc.createdAt, dir.zone)}`}>${shortDuration(now - Date.parse(inc.createdAt))}</td>
            <td title=${`пост написан ${fmt(inc.postedAt ?? inc.createdAt, dir.zone)}`}>${shortDate(inc.postedAt ?? inc.createdAt, dir.zone)}</td>
            <td>${topicName(dir, inc.subtopic ?? inc.topic)}</td>
            <td>${(inc.territory ?? '').replace(/^г\. [^,]+, /, '')}</td>
            <td class="snippet">${inc.repeatOf ? html`<span class="badge high" title="та же проблема на том же месте была закрыта недавно">повтор</span> ` : null}${inc.postIds.length > 1 ? html`<span class="badge">+${inc.postIds.length - 1}</span> ` : null}${(inc.text ?? '').slice(0, 160)}</td>
          </tr>`)}</tbody>
        </table>
        ${list ? html`<div class="pager" data-test="pager">
          <button class="outline small" disabled=${page <= 1} onClick=${() => goPage(page - 1)} data-test="page-prev">← [</button>
          <span>страница ${page} из ${pages} · ${plural(list.total, 'оповещение', 'оповещения', 'оповещений')}</span>
          <button class="outline small" disabled=${page >= pages} onClick=${() => goPage(page + 1)} data-test="page-next">] →</button>
        </div>` : null}
      </div>
      <aside class="preview" data-test="preview">
        ${current
          ? html`<div key=${current.id}>
              <${Meta} inc=${current} dir=${dir} />
              <${PostText} inc=${current} />
              <${AlertActions} inc=${current} dir=${dir} presets=${presets} mode=${mode} setMode=${setMode} run=${(kind, action) => run(kind, action, current)} />
              ${current.postIds.length > 1 ? html`<details><summary>Копии рядом (${current.postIds.length - 1})</summary><${PostsPanel} inc=${current} zone=${dir.zone} copiesOnly=${true} /></details>` : null}
              <p><a href=${`#/incident/${encodeURIComponent(current.id)}`} data-test="open-alert">Открыть оповещение целиком (o)</a></p>
            </div>`
          : html`<p class="meta">Выберите оповещение в списке (j/k).</p>`}
      </aside>
    </div>
  </section>`;
}
