// The Otklik console: a single-page app on the engine's own API (htm + Preact, Chart.js, Pico CSS),
// no build step. Modules: api.js (client, errors), format.js (labels, dates), hooks.js,
// components.js (shared pieces), screens/ (one per screen).
import { html, render, useState, useEffect, useCallback, useRef } from '/vendor/standalone.module.js';
import { SIGNED_OUT, allPages, api } from './api.js';
import { ErrorText } from './components.js';
import { useHash } from './hooks.js';
import { ROLE, zoneLabel } from './format.js';
import { Login } from './screens/login.js';
import { QueueScreen } from './screens/queue.js';
import { IncidentsScreen } from './screens/incidents.js';
import { IncidentScreen } from './screens/incident.js';
import { SearchScreen } from './screens/search.js';
import { AdminScreen } from './screens/admin.js';

const SCREENS = {
  admin: [['alerts', 'Оповещения'], ['incidents', 'Обращения'], ['search', 'Поиск и аналитика'], ['admin', 'Администрирование']],
  moderator: [['alerts', 'Оповещения'], ['incidents', 'Обращения'], ['search', 'Поиск и аналитика']],
  responder: [['desk', 'Мои обращения']],
  analyst: [['search', 'Поиск и аналитика'], ['incidents', 'Обращения']],
};

function Shell({ me, dir, presets, reloadPresets, onLogout }) {
  const { hash, previous } = useHash();
  const screens = SCREENS[me.role] ?? [];
  const [path] = hash.split('?');
  const [, route, arg] = path.split('/');
  const current = route && (route === 'incident' || screens.some(([id]) => id === route)) ? route : screens[0]?.[0];
  // «← к списку» goes back to the list as it was: its filters live in the address.
  const lastList = useRef(`#/${screens[0]?.[0] ?? ''}`);
  if (current !== 'incident' && hash) lastList.current = hash;
  else if (current === 'incident' && previous && !previous.startsWith('#/incident')) lastList.current = previous;
  let screen;
  if (current === 'incident' && arg) screen = html`<${IncidentScreen} id=${decodeURIComponent(arg)} dir=${dir} me=${me} presets=${presets} back=${lastList.current} />`;
  else if (current === 'alerts') screen = html`<${QueueScreen} dir=${dir} presets=${presets} />`;
  else if (current === 'incidents') screen = html`<${IncidentsScreen} dir=${dir} title="Обращения в работе" />`;
  else if (current === 'desk') screen = html`<${IncidentsScreen} dir=${dir} title=${`Обращения: ${dir.bodyNames.get(me.bodyId) ?? ''}`} />`;
  else if (current === 'search') screen = html`<${SearchScreen} dir=${dir} />`;
  else if (current === 'admin') screen = html`<${AdminScreen} dir=${dir} presets=${presets} reloadPresets=${reloadPresets} />`;
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
  const [presets, setPresets] = useState(undefined);
  const [expired, setExpired] = useState(false);
  const [error, setError] = useState('');
  const signedIn = useRef(false);
  signedIn.current = Boolean(me);
  const reloadPresets = useCallback(async () => setPresets(await api('GET', '/presets')), []);
  const load = useCallback(async () => {
    try {
      const who = await api('GET', '/auth/me');
      const [bodies, topics, territories] = await Promise.all([allPages('/bodies'), allPages('/topics'), allPages('/territories')]);
      await reloadPresets();
      const bodyNames = new Map(bodies.items.map((b) => [b.id, b.name]));
      const own = bodies.items.find((b) => b.id === who.bodyId);
      // Times are shown in the viewer's body zone; people without a body see the zone most bodies
      // of the region keep (the control center's), not their browser's.
      const zones = bodies.items.map((b) => b.timeZone);
      const common = zones.sort((a, b) => zones.filter((z) => z === b).length - zones.filter((z) => z === a).length)[0];
      const zone = own?.timeZone ?? common ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      setDir({ bodies: bodies.items, bodyNames, topics: topics.items, topicNames: new Map(topics.items.map((t) => [t.id, t.name])), territories: territories.items, zone });
      setMe(who);
      setExpired(false);
    } catch (err) {
      if (err.status === 401) setMe(null);
      else setError(err.message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // Any request refused for a lost session shows the sign-in form; the address (screen and filters) stays.
  useEffect(() => {
    const on = () => {
      if (signedIn.current) setExpired(true);
      setMe(null);
    };
    addEventListener(SIGNED_OUT, on);
    return () => removeEventListener(SIGNED_OUT, on);
  }, []);
  const logout = async (e) => {
    e.preventDefault();
    await api('POST', '/auth/logout', {}).catch(() => undefined);
    setExpired(false);
    setMe(null);
  };
  if (error) return html`<${ErrorText} error=${error} />`;
  if (me === undefined) return html`<p aria-busy="true">Загрузка…</p>`;
  if (me === null) return html`<${Login} onDone=${load} expired=${expired} />`;
  return html`<${Shell} me=${me} dir=${dir} presets=${presets} reloadPresets=${reloadPresets} onLogout=${logout} />`;
}

render(html`<${App} />`, document.getElementById('app'));
