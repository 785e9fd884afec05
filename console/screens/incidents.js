// Incidents in work: the moderators' overview and a responder's desk, soonest deadline first.
import { html } from '/vendor/standalone.module.js';
import { query } from '../api.js';
import { Countdown, ErrorText, Filters, Meta } from '../components.js';
import { useHashState, useLiveList } from '../hooks.js';

const SHOWN = 400;

function IncidentCard({ inc, dir }) {
  const cls = inc.sla?.breached ? ' breached' : inc.sla?.atRisk ? ' at-risk' : '';
  const text = inc.text ?? '';
  return html`<article class=${`card${cls}`} data-test="incident" data-id=${inc.id}>
    <${Meta} inc=${inc} dir=${dir} />
    <p><strong>${inc.bodyName ?? inc.bodyId ?? ''}</strong>${inc.sla ? ' — ' : ''}<${Countdown} sla=${inc.sla} zone=${inc.timeZone ?? dir.zone} />
      ${inc.status === 'on_review' ? html` — <small data-test="review-paused">ответ ждёт проверки, сроки приостановлены</small>` : null}</p>
    <p class="post-text">${text.length > SHOWN ? `${text.slice(0, SHOWN)}… (полностью — в обращении)` : text}</p>
    <a href=${`#/incident/${encodeURIComponent(inc.id)}`} data-test="open-incident">Открыть</a>
  </article>`;
}

export function IncidentsScreen({ dir, title }) {
  const [filters, setFilters] = useHashState({});
  const url = `/incidents${query({ status: 'open', size: 100, sort: 'due', ...filters })}`;
  const onReview = filters.status === 'on_review';
  const { page, error } = useLiveList(url);
  return html`<section>
    <h2>${title} ${page ? html`<small>(${page.total})</small>` : null}</h2>
    <${Filters} dir=${dir} value=${filters} onChange=${setFilters} fields=${['priority', 'atRisk']} compact=${true} />
    <label data-test="only-review"><input type="checkbox" role="switch" checked=${onReview} onChange=${() => { const { status: _s, ...rest } = filters; setFilters(onReview ? rest : { ...rest, status: 'on_review' }); }} /> только ответы на проверке</label>
    <${ErrorText} error=${error} />
    ${page?.items.length === 0 ? html`<p>${onReview ? 'Ответов на проверке нет.' : 'Открытых обращений нет.'}</p>` : null}
    ${page?.items.map((inc) => html`<${IncidentCard} key=${inc.id} inc=${inc} dir=${dir} />`)}
  </section>`;
}
