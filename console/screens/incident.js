// One incident: its posts, answers, history, and what the viewer may do with it.
import { html, useState, useEffect, useCallback } from '/vendor/standalone.module.js';
import { act, api, errorText } from '../api.js';
import { Countdown, ErrorText, Meta, PostText, PostsPanel } from '../components.js';
import { ACTION, DEADLINE_KIND, actorLabel, fmt, routeReasonText } from '../format.js';
import { AlertPage } from './alert-actions.js';

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

/** The judged quality of an answer: an отписка with its formulas, or substantive with what it names. */
function Quality({ q }) {
  return q?.verdict === 'formal'
    ? html`<p class="error" data-test="answer-quality">Похоже на отписку: нет конкретного действия, срока и ответственного${q.cues.formula.length ? ` (${q.cues.formula.slice(0, 3).map((c) => `«${c}»`).join(', ')})` : ''}.</p>`
    : q?.verdict === 'substantive'
      ? html`<p class="meta" data-test="answer-quality">По существу: ${[...q.cues.action.slice(0, 2), ...q.cues.date.slice(0, 1), ...q.cues.responsible.slice(0, 1)].map((c) => `«${c}»`).join(', ')}.</p>`
      : null;
}

/**
 * A final answer waiting for review: moderators publish it or send it back with what to rework;
 * the body sees that it waits.
 */
function Review({ inc, zone, moderator, onAct }) {
  const [remark, setRemark] = useState('');
  const r = inc.review;
  if (!r) return null;
  return html`<section data-test="review">
    <h4>Ответ на проверке</h4>
    <blockquote><p class="post-text">${r.text}</p><${Quality} q=${r.quality} /><footer>отправлен исполнителем ${fmt(r.submittedAt, zone)} · сроки на время проверки приостановлены</footer></blockquote>
    ${moderator
      ? html`<div class="actions">
          <button onClick=${() => onAct([{ type: 'approve_answer' }])} data-test="approve-answer">Одобрить и опубликовать</button>
        </div>
        <form onSubmit=${async (e) => { e.preventDefault(); if (await onAct([{ type: 'return_answer', reason: remark }])) setRemark(''); }}>
          <textarea value=${remark} onInput=${(e) => setRemark(e.target.value)} rows="2" required minlength="3" data-test="return-remark" placeholder="Что доработать: например, указать срок и ответственного"></textarea>
          <button type="submit" class="secondary" data-test="return-answer">Вернуть на доработку</button>
        </form>`
      : html`<p class="meta" data-test="review-wait">Ответ опубликуют после проверки модератором центра управления регионом.</p>`}
  </section>`;
}

/** The latest answer a moderator sent back, while the body reworks it. */
function Returned({ inc, zone }) {
  const last = inc.returns?.at(-1);
  if (!last || inc.status !== 'in_progress') return null;
  return html`<p class="error" data-test="returned">Ответ возвращён на доработку ${fmt(last.at, zone)}: ${last.remark}</p>`;
}

function Answers({ answers, zone }) {
  if (answers.length === 0) return null;
  return html`<h4>Ответы</h4>${answers.map((a) => {
    const link = a.url && /^https?:\/\//i.test(a.url) ? a.url : undefined;
    const where = a.published === true
      ? 'опубликован под постом'
      : a.published === false
        ? 'записан исполнителем, под постом не опубликован (у органа нет доступа к публикации на этой платформе или ответ дан вне соцсети)'
        : '';
    return html`<blockquote data-test="answer"><p class="post-text">${a.text}</p><${Quality} q=${a.quality} />
      <footer>${a.kind === 'final' ? 'окончательный' : 'промежуточный'}, ${fmt(a.publishedAt, zone)}${where ? ` · ${where}` : ''}${link ? html` · <a href=${link} target="_blank" rel="noopener noreferrer">${a.published ? 'ответ на платформе' : 'ссылка исполнителя'}</a>` : null}</footer></blockquote>`;
  })}`;
}

/** Fills a template's {исполнитель} and {срок} for this incident. */
function fillTemplate(text, inc, zone) {
  return text.replaceAll('{исполнитель}', inc.bodyName ?? '').replaceAll('{срок}', inc.sla ? fmt(inc.sla.dueAt, zone) : 'установленного срока');
}

/**
 * The answer form. The default kind follows the running deadline (interim while the first response
 * is due); for a routed incident sending the answer takes it into work first, in one step.
 */
function AnswerForm({ inc, zone, presets, onAct }) {
  const firstDue = inc.sla?.kind === 'first_response' || inc.status === 'routed';
  // Sent back by review: the same final answer, to rework rather than rewrite.
  const rework = inc.status === 'in_progress' ? inc.returns?.at(-1) : undefined;
  const [kind, setKind] = useState(rework || !firstDue ? 'final' : 'interim');
  const [text, setText] = useState(rework?.text ?? '');
  const templates = presets.answerTemplates.filter((t) => !t.bodies || t.bodies.includes(inc.bodyId));
  const submit = async (e) => {
    e.preventDefault();
    const ok = await onAct([...(inc.status === 'routed' ? [{ type: 'take' }] : []), { type: 'answer', kind, text }]);
    if (ok) setText('');
  };
  return html`<form data-test="answer-form" onSubmit=${submit}>
    <h4>Ответ заявителю</h4>
    ${rework
      ? html`<p class="meta" data-test="answer-due">В форме — возвращённый ответ: доработайте его по замечанию модератора.</p>`
      : inc.sla ? html`<p class="meta" data-test="answer-due">Сейчас идёт срок: ${DEADLINE_KIND[inc.sla.kind] ?? 'срок'} — поэтому по умолчанию ${kind === 'interim' ? 'промежуточный' : 'окончательный'} ответ.</p>` : null}
    ${templates.length > 0 ? html`<div class="actions" data-test="templates"><small>Шаблоны:</small>${templates.map((t) => html`<button type="button" class="outline secondary small" data-test="template" onClick=${() => { setKind(t.kind); setText(fillTemplate(t.text, inc, zone)); }}>${t.title}</button>`)}</div>` : null}
    <select value=${kind} onChange=${(e) => setKind(e.target.value)} data-test="answer-kind" aria-label="вид ответа">
      <option value="interim">промежуточный</option><option value="final">окончательный</option>
    </select>
    <textarea value=${text} onInput=${(e) => setText(e.target.value)} rows="4" required data-test="answer-text" placeholder="Текст ответа (будет опубликован под постом, если платформа позволяет)"></textarea>
    <button type="submit" data-test="answer-submit">${inc.status === 'routed' ? 'Взять в работу и отправить ответ' : 'Отправить ответ'}</button>
  </form>`;
}

export function IncidentScreen({ id, dir, me, presets, back }) {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState('');
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
  /** Runs actions in order on the freshest version; says whether all went through. */
  const run = async (actions) => {
    setError('');
    try {
      let inc = data.incident;
      for (const a of actions) inc = (await act(inc, a)).incident;
      await load();
      return true;
    } catch (err) {
      setError(errorText(err.code, err.status));
      await load();
      return false;
    }
  };
  if (!data) return html`<${ErrorText} error=${error} />${error ? null : html`<p aria-busy="true">Загрузка…</p>`}`;
  const inc = data.incident;
  const zone = inc.timeZone ?? dir.zone;
  const operator = me.role !== 'analyst';
  const canAnswer = operator && ['routed', 'in_progress', 'answered_interim'].includes(inc.status);
  const moderator = me.role === 'admin' || me.role === 'moderator';
  return html`<section data-test="incident-detail">
    <p><a href=${back} data-test="back">← к списку</a></p>
    <h2>${inc.status === 'alert' ? 'Оповещение' : 'Обращение'} <small>${inc.id}</small></h2>
    <${Meta} inc=${inc} dir=${dir} />
    ${inc.status === 'alert'
      ? null
      : html`<p><strong>${inc.bodyName ?? inc.proposedBodyName ?? ''}</strong>${inc.sla ? ' — ' : ''}<${Countdown} sla=${inc.sla} zone=${zone} />
          ${inc.routeReason ? html`<br /><small data-test="route-reason">${routeReasonText(inc.routeReason, dir)}</small>` : null}</p>`}
    ${inc.mergedInto ? html`<p>Объединено с <a href=${`#/incident/${encodeURIComponent(inc.mergedInto)}`}>${inc.mergedInto}</a>.</p>` : null}
    <${PostText} inc=${inc} />
    ${inc.status === 'alert' && moderator ? html`<${AlertPage} inc=${inc} dir=${dir} presets=${presets} reload=${load} />` : null}
    <${PostsPanel} inc=${inc} zone=${zone} onSplit=${moderator && ['alert', 'routed', 'in_progress', 'answered_interim', 'paused'].includes(inc.status) ? (postId) => run([{ type: 'split_off', postIds: [postId], newId: `${inc.id}-s${inc.version}` }]) : undefined} />
    <${Answers} answers=${inc.answers} zone=${zone} />
    <${Review} inc=${inc} zone=${zone} moderator=${moderator} onAct=${run} />
    <${Returned} inc=${inc} zone=${zone} />
    ${inc.satisfaction
      ? html`<p data-test="satisfaction" class=${inc.satisfaction.verdict === 'unsatisfied' ? 'error' : 'meta'}>Реакция в обсуждении после ответа: ${inc.satisfaction.author ? html`<strong>автор поста ${inc.satisfaction.author === 'satisfied' ? 'доволен' : 'недоволен'}</strong>; ` : null}недовольны — ${inc.satisfaction.unsatisfied}, довольны — ${inc.satisfaction.satisfied}${(inc.reactions ?? []).length ? ` (${inc.reactions.slice(-3).map((r) => r.cues.slice(0, 2).map((c) => `«${c}»`).join(', ')).filter(Boolean).join('; ')})` : ''}.</p>`
      : null}
    <${ErrorText} error=${error} />
    ${operator && inc.status === 'routed' ? html`<button class="secondary" onClick=${() => run([{ type: 'take' }])} data-test="take">Взять в работу</button>` : null}
    ${canAnswer ? html`<${AnswerForm} inc=${inc} zone=${zone} presets=${presets} onAct=${run} />` : null}
    ${operator && ['routed', 'in_progress', 'answered_interim', 'paused'].includes(inc.status)
      ? html`<details><summary>Перенаправить</summary>
          <select value=${bodyTo} onChange=${(e) => setBodyTo(e.target.value)}><option value="">исполнитель…</option>${dir.bodies.map((b) => html`<option value=${b.id}>${b.name}</option>`)}</select>
          <input value=${reason} onInput=${(e) => setReason(e.target.value)} placeholder="причина" />
          <button onClick=${() => run([{ type: 'reroute', bodyId: bodyTo, reason }])}>Перенаправить</button>
        </details>`
      : null}
    ${inc.status === 'answered_final' && operator ? html`<button onClick=${() => run([{ type: 'close' }])} data-test="close">Закрыть</button>` : null}
    <h4>История</h4>
    <${Timeline} events=${data.events} zone=${zone} />
  </section>`;
}
