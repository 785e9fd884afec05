// What a moderator does with one alert: accept to a body, change topic or priority, reject with a
// preset reason, merge into another alert or incident. Used by the queue's preview and the alert's page.
import { html, useState, useEffect, useLayoutEffect, useRef } from '/vendor/standalone.module.js';
import { act, api, errorText, query } from '../api.js';
import { ErrorText } from '../components.js';
import { useKeys } from '../hooks.js';
import { fmt, routeReasonText, topicName } from '../format.js';

/** Preset reasons with number keys, a field focused for one's own; Enter rejects, Escape cancels. */
export function RejectPanel({ presets, onReject, onCancel }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const field = useRef(null);
  // Focused as the panel appears (before the browser paints), so the next key lands in the field.
  useLayoutEffect(() => field.current?.focus(), []);
  const submit = (text) => {
    const r = (text ?? reason).trim();
    if (r.length < 3) {
      setError('Укажите причину: выберите готовую (1–9) или напишите свою, не короче 3 знаков.');
      field.current?.focus();
      return;
    }
    onReject(r);
  };
  const keys = (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (reason === '' && /^[1-9]$/.test(e.key) && presets[Number(e.key) - 1]) {
      e.preventDefault();
      submit(presets[Number(e.key) - 1]);
    }
  };
  return html`<div class="panel" data-test="reject-panel">
    <strong>Причина отклонения</strong>
    <ol class="presets">${presets.map((p, i) => html`<li><button class="outline small" data-test="reject-preset" onClick=${() => submit(p)}><kbd>${i + 1}</kbd> ${p}</button></li>`)}</ol>
    <input ref=${field} value=${reason} onInput=${(e) => setReason(e.target.value)} onKeyDown=${keys} placeholder="своя причина; Enter — отклонить, Esc — отмена" data-test="reject-reason" aria-label="причина отклонения" />
    <div class="actions"><button class="contrast small" onClick=${() => submit()} data-test="reject-confirm">Отклонить</button><button class="outline small" onClick=${onCancel}>Отмена (Esc)</button></div>
    <${ErrorText} error=${error} />
  </div>`;
}

/**
 * Merge the alert into another: likely duplicates first (number keys), or any alert or open
 * incident found by its words. The alert's posts join the other one; the alert is closed as merged.
 */
export function MergePanel({ inc, dir, onMerge, onCancel }) {
  const [similar, setSimilar] = useState(undefined);
  const [q, setQ] = useState('');
  const [found, setFound] = useState([]);
  const field = useRef(null);
  useEffect(() => {
    field.current?.focus();
    api('GET', `/incidents/${encodeURIComponent(inc.id)}/similar`).then((r) => setSimilar(r.items), () => setSimilar([]));
  }, [inc.id]);
  useEffect(() => {
    if (q.trim().length < 2) return setFound([]);
    const t = setTimeout(() => api('GET', `/incidents${query({ status: 'alert,open', q: q.trim(), size: 8, sort: 'newest' })}`).then((r) => setFound(r.items.filter((i) => i.id !== inc.id)), () => setFound([])), 200);
    return () => clearTimeout(t);
  }, [q]);
  const targets = q.trim().length >= 2 ? found : (similar ?? []).map((s) => s.incident);
  const keys = (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if (e.key === 'Enter' && targets[0]) {
      e.preventDefault();
      onMerge(targets[0]);
    } else if (q === '' && /^[1-9]$/.test(e.key) && targets[Number(e.key) - 1]) {
      e.preventDefault();
      onMerge(targets[Number(e.key) - 1]);
    }
  };
  const why = (s) => [s.textSimilarity >= 0.1 ? `похожий текст ${Math.round(s.textSimilarity * 100)} %` : '', s.sameTopic ? 'та же тема' : '', s.sameTerritory ? 'та же территория' : '', s.houses.length ? `дом ${s.houses.join(', ')}` : ''].filter(Boolean).join(' · ');
  return html`<div class="panel" data-test="merge-panel">
    <strong>Объединить с другим оповещением или обращением</strong>
    <input ref=${field} value=${q} onInput=${(e) => setQ(e.target.value)} onKeyDown=${keys} placeholder="слова или адрес для поиска; 1–9 — выбрать, Enter — первый, Esc — отмена" data-test="merge-search" aria-label="поиск обращения для объединения" />
    ${q.trim().length < 2 ? html`<small>${similar === undefined ? 'Ищем похожие…' : similar.length === 0 ? 'Похожих не нашлось: найдите нужное по словам.' : 'Похожие (вероятные копии):'}</small>` : null}
    <ol class="targets" data-test="merge-targets">${targets.map((t, i) => {
      const s = (similar ?? []).find((x) => x.incident.id === t.id);
      return html`<li><button class="outline small" data-test="merge-target" data-id=${t.id} onClick=${() => onMerge(t)}><kbd>${i + 1}</kbd> ${topicName(dir, t.subtopic ?? t.topic)}${t.territory ? `, ${t.territory}` : ''}: ${(t.text ?? '').slice(0, 120)}</button>
        ${s ? html`<small> ${why(s)}</small>` : null}</li>`;
    })}</ol>
    <button class="outline small" onClick=${onCancel}>Отмена (Esc)</button>
  </div>`;
}

/**
 * The same problem at the same place was closed not long ago: the moderator reopens that incident
 * (it goes back to its body) and merges this alert into it, or treats the alert as new.
 */
function RepeatNotice({ inc, dir, run }) {
  const [error, setError] = useState('');
  const r = inc.repeatOf;
  if (!r) return null;
  const reopen = async () => {
    setError('');
    try {
      const old = (await api('GET', `/incidents/${encodeURIComponent(r.incidentId)}`)).incident;
      await act(old, { type: 'reopen', reason: 'повторное обращение: та же проблема на том же месте после закрытия' });
      await run('merge', { type: 'merge', intoId: r.incidentId });
    } catch (err) {
      setError(errorText(err.code, err.status));
    }
  };
  return html`<div class="panel" data-test="repeat">
    <strong>Повторное обращение:</strong> та же проблема на том же месте уже была — <a href=${`#/incident/${encodeURIComponent(r.incidentId)}`}>обращение</a>, закрыто ${fmt(r.closedAt, dir.zone)}.
    <div class="actions"><button class="small" onClick=${reopen} data-test="repeat-reopen">Переоткрыть прежнее и объединить с ним</button></div>
    <${ErrorText} error=${error} />
  </div>`;
}

/** The alert with everything a moderator decides on it. `onDone(kind)` is told what happened. */
export function AlertActions({ inc, dir, presets, mode, setMode, run }) {
  const [body, setBody] = useState(inc.proposedBodyId);
  useEffect(() => setBody(inc.proposedBodyId), [inc.id, inc.proposedBodyId]);
  const accept = () => run('accept', { type: 'accept', ...(body !== inc.proposedBodyId ? { bodyId: body } : {}) });
  return html`<div data-test="alert-actions">
    <${RepeatNotice} inc=${inc} dir=${dir} run=${run} />
    <p data-test="proposal"><small>Предложено:</small> <strong data-test="proposed-body">${inc.proposedBodyName ?? inc.proposedBodyId}</strong>
      <small data-test="route-reason"> — ${routeReasonText(inc.routeReason, dir)}</small></p>
    <div class="actions">
      <select value=${body} onChange=${(e) => setBody(e.target.value)} data-test="accept-body" aria-label="исполнитель">
        ${dir.bodies.map((b) => html`<option value=${b.id}>${b.name}</option>`)}
      </select>
      <button data-test="accept" onClick=${accept}>Принять и направить <kbd>a</kbd></button>
      <select value="" onChange=${(e) => e.target.value && run('reclassify', { type: 'reclassify', topic: e.target.value })} aria-label="сменить тему" data-test="reclassify">
        <option value="">сменить тему… (t)</option>${dir.topics.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
      </select>
      <button class="secondary" data-test="priority" onClick=${() => run('priority', { type: 'set_priority', priority: inc.priority === 'high' ? 'normal' : 'high' })}>
        ${inc.priority === 'high' ? 'Обычный приоритет' : 'Высокий приоритет'} <kbd>p</kbd>
      </button>
      <button class="outline" onClick=${() => setMode('reject')} data-test="reject">Отклонить… <kbd>r</kbd></button>
      <button class="outline secondary" title="Не обращение: реклама, болтовня, новости, объявление. Система учится на таких решениях." data-test="reject-noise"
        onClick=${() => run('reject', { type: 'reject', reason: 'не обращение (шум)', noise: true })}>Шум <kbd>n</kbd></button>
      <button class="outline" onClick=${() => setMode('merge')} data-test="merge">Объединить… <kbd>m</kbd></button>
    </div>
    ${mode === 'reject' ? html`<${RejectPanel} presets=${presets.rejectReasons} onCancel=${() => setMode(null)} onReject=${(reason) => run('reject', { type: 'reject', reason })} />` : null}
    ${mode === 'merge' ? html`<${MergePanel} inc=${inc} dir=${dir} onCancel=${() => setMode(null)} onMerge=${(target) => run('merge', { type: 'merge', intoId: target.id })} />` : null}
  </div>`;
}

/** One alert on its own page, with the same actions as in the queue. */
export function AlertPage({ inc, dir, presets, reload }) {
  const [mode, setMode] = useState(null);
  const [error, setError] = useState('');
  const run = async (_kind, action) => {
    setError('');
    try {
      await act(inc, action);
      setMode(null);
      await reload();
    } catch (err) {
      setError(errorText(err.code, err.status));
    }
  };
  // The same keys as in the queue.
  useKeys((e) => {
    if (e.key === 'Escape') return setMode(null);
    if (mode) return undefined;
    const keys = {
      a: () => run('accept', { type: 'accept' }),
      r: () => setMode('reject'),
      n: () => run('reject', { type: 'reject', reason: 'не обращение (шум)', noise: true }),
      m: () => setMode('merge'),
      p: () => run('priority', { type: 'set_priority', priority: inc.priority === 'high' ? 'normal' : 'high' }),
      t: () => document.querySelector('[data-test="reclassify"]')?.focus(),
    };
    if (!keys[e.key]) return undefined;
    e.preventDefault();
    return keys[e.key]();
  }, [inc, mode]);
  return html`<div><${AlertActions} inc=${inc} dir=${dir} presets=${presets} mode=${mode} setMode=${setMode} run=${run} /><${ErrorText} error=${error} /></div>`;
}

