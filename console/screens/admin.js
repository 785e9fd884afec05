// Admins: sources and dead letters, users, API keys, bodies and their notifications, routing, models, presets.
import { html, useState, useEffect, useCallback } from '/vendor/standalone.module.js';
import { allPages, api } from '../api.js';
import { ErrorText } from '../components.js';
import { ROLE, SLA_POLICY, actorLabel, fmt, zoneLabel } from '../format.js';

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
        const terms = (v) => (Array.isArray(v) ? v : String(v ?? '').split(',')).map((k) => k.trim()).filter(Boolean);
        const keywords = terms(r.keywords);
        const exclude = terms(r.exclude);
        return { topic: r.topic, body: r.body, ...(r.territory?.trim() ? { territory: r.territory.trim() } : {}), ...(keywords.length > 0 ? { keywords } : {}), ...(exclude.length > 0 ? { exclude } : {}) };
      });
      await api('PUT', '/routing', { fallbackBody: fallback, routes });
      setDraft(undefined);
    });
  const options = (list, value) => list.map((o) => html`<option value=${o.id} selected=${o.id === value}>${o.name}</option>`);
  return html`<div data-test="routing">
    <p class="meta">${routing.origin === 'api' ? `Изменено через консоль: ${actorLabel(routing.updatedBy)}, ${fmt(routing.updatedAt, dir.zone)}` : 'Как в файле правил (rules/routing.json).'} Из подходящих правил побеждает правило для более глубокой территории (район важнее города, любая территория важнее никакой), затем для более узкой темы, затем с ключевыми словами; «администрация места» — администрация территории поста или ближайшей выше. Слова — как во всех правилах: «яма» (любая форма), «трамва*» (начало слова), «=ук» (точная форма).</p>
    <table class="compact" data-test="routes"><thead><tr><th>Тема</th><th>Территория</th><th>Ключевые слова (через запятую)</th><th>Кроме слов</th><th>Исполнитель</th><th></th></tr></thead>
      <tbody>${rows.map((r, i) => html`<tr data-test="route-row">
        <td><select onChange=${(e) => setRow(i, { topic: e.target.value })} aria-label="тема">${options(dir.topics, r.topic)}</select></td>
        <td><input value=${r.territory ?? ''} placeholder="любая" onInput=${(e) => setRow(i, { territory: e.target.value })} aria-label="территория" /></td>
        <td><input value=${Array.isArray(r.keywords) ? r.keywords.join(', ') : (r.keywords ?? '')} onInput=${(e) => setRow(i, { keywords: e.target.value })} aria-label="ключевые слова" /></td>
        <td><input value=${Array.isArray(r.exclude) ? r.exclude.join(', ') : (r.exclude ?? '')} onInput=${(e) => setRow(i, { exclude: e.target.value })} aria-label="кроме слов" /></td>
        <td><select onChange=${(e) => setRow(i, { body: e.target.value })} aria-label="исполнитель" data-test="route-body">${options([{ id: '@administration', name: 'администрация места' }, ...dir.bodies], r.body)}</select></td>
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

const MODEL_KIND = { topics: 'Темы', problem: 'Обращение или нет', sentiment: 'Тональность', router: 'Исполнитель (обученная маршрутизация)' };

/** The models in force: shipped or retrained from moderators' decisions, with their measured quality. */
function ModelsPanel({ models, dir, run }) {
  if (!models) return null;
  const quality = (q) => (q ? `${q.candidate.toFixed(3)} против ${q.current.toFixed(3)} у прежней на ${q.heldOut} отложенных решениях` : '—');
  return html`<table class="compact" data-test="models"><thead><tr><th>Модель</th><th>Версия</th><th>Обучена на</th><th>Качество</th></tr></thead>
      <tbody>${['topics', 'problem', 'sentiment', 'router'].filter((k) => models[k]).map((k) => html`<tr><td>${MODEL_KIND[k]}</td>
        <td>${models[k].version === 'shipped' ? 'поставочная' : html`${models[k].version}, ${fmt(models[k].promotedAt, dir.zone)}`}</td>
        <td>${models[k].decisions !== undefined ? `${models[k].decisions} решений модераторов${k === 'router' ? '' : ' и примеры проекта'}` : k === 'router' ? 'решения модераторов региона' : 'примеры проекта'}</td>
        <td>${quality(models[k].quality)}</td></tr>`)}</tbody></table>
    <p>Решений модераторов: <strong data-test="decisions">${models.decisions}</strong>.
      ${models.retrainings[0] ? ` Последнее переобучение ${fmt(models.retrainings[0].at, dir.zone)}: ${models.retrainings.filter((r) => r.at === models.retrainings[0].at).map((r) => `${MODEL_KIND[r.kind]} — ${r.promoted ? 'принята' : 'отклонена'}`).join(', ')}.` : ' Переобучений ещё не было.'}
      <button class="secondary" style="width:auto" data-test="retrain" onClick=${() => run(() => api('POST', '/models/retrain', {}))}>Переобучить сейчас</button></p>`;
}

/** Reject reasons (one a line) and answer templates (JSON), over the rules file's until reset. */
function PresetsEditor({ presets, run, onSaved }) {
  const [reasons, setReasons] = useState(presets.rejectReasons.join('\n'));
  const [templates, setTemplates] = useState(JSON.stringify(presets.answerTemplates, null, 2));
  const [problem, setProblem] = useState('');
  const save = () => {
    let answerTemplates;
    try {
      answerTemplates = JSON.parse(templates);
    } catch {
      setProblem('Шаблоны ответов — не JSON: проверьте скобки и кавычки.');
      return;
    }
    setProblem('');
    void run(async () => {
      await api('PUT', '/presets', { rejectReasons: reasons.split('\n').map((r) => r.trim()).filter(Boolean), answerTemplates });
      await onSaved();
    });
  };
  return html`<div data-test="presets-editor">
    <p class="meta">${presets.origin === 'api' ? `Изменено через консоль: ${actorLabel(presets.updatedBy)}, ${fmt(presets.updatedAt)}` : 'Как в файле правил (rules/presets.json).'}</p>
    <label>Готовые причины отклонения (по одной в строке)<textarea rows="6" value=${reasons} onInput=${(e) => setReasons(e.target.value)} data-test="presets-reasons"></textarea></label>
    <label>Шаблоны ответов (JSON: id, title, kind — interim или final, text с {исполнитель} и {срок}, bodies — для каких органов)<textarea rows="8" value=${templates} onInput=${(e) => setTemplates(e.target.value)} data-test="presets-templates"></textarea></label>
    <${ErrorText} error=${problem} />
    <div class="actions"><button class="small" onClick=${save} data-test="presets-save">Сохранить</button>
      ${presets.origin === 'api' ? html`<button class="outline secondary small" onClick=${() => run(async () => { await api('DELETE', '/presets'); await onSaved(); })}>Как в файле правил</button>` : null}</div>
  </div>`;
}

export function AdminScreen({ dir, presets, reloadPresets }) {
  const [models, setModels] = useState(undefined);
  const [users, setUsers] = useState([]);
  const [keys, setKeys] = useState([]);
  const [sources, setSources] = useState([]);
  const [routing, setRouting] = useState({ items: [] });
  const [targets, setTargets] = useState([]);
  const [form, setForm] = useState({ login: '', name: '', password: '', role: 'moderator', bodyId: '', regions: '' });
  const [newKey, setNewKey] = useState('');
  const [error, setError] = useState('');
  const [deadLetters, setDeadLetters] = useState(undefined);
  const load = useCallback(async () => {
    try {
      const [u, k, s, r, n, m, h] = await Promise.all([allPages('/users'), allPages('/api-keys'), allPages('/sources'), allPages('/routing'), allPages('/notifications/targets'), api('GET', '/models'), api('GET', '/health')]);
      setDeadLetters(h.queues?.deadletter?.waiting);
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
    <table class="compact" data-test="sources"><thead><tr><th>Источник</th><th>Последний успешный опрос</th><th>Отставание</th><th>Постов</th><th>Отвергнуто</th><th>Ошибки</th><th>Последнее замечание</th><th>Пауза</th></tr></thead>
      <tbody>${sources.map((s) => html`<tr><td>${s.sourceId}</td><td>${fmt(s.lastSuccessAt, dir.zone)}</td><td>${s.lagSeconds === undefined ? '—' : `${s.lagSeconds} с`}</td><td>${s.itemsSeen}</td>
        <td data-test="source-rejected" title="элементы, которые источник отдал в непригодном виде (сохранены с причиной)">${s.itemsRejected ?? 0}</td>
        <td>${Object.entries(s.errors).map(([k, v]) => `${k}: ${v}`).join(', ') || '—'}${s.lastError ? html`<br /><small>${s.lastError}</small>` : null}</td>
        <td>${s.lastNotice ? html`<small>${fmt(s.lastNotice.at, dir.zone)}: ${s.lastNotice.text}</small>` : '—'}</td>
        <td>${s.paused ? `до ${fmt(s.paused.until, dir.zone)}: ${s.paused.reason}` : '—'}</td></tr>`)}</tbody></table>
    <p data-test="dead-letters">Не обработано и сохранено с причиной (мёртвые письма): <strong>${deadLetters ?? '—'}</strong>. Разобрать и повторить — в <a href="/queues" target="_blank" rel="noopener">панели очередей</a>.</p>
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
    <h4>Готовые причины и шаблоны ответов</h4>
    <${PresetsEditor} key=${presets.updatedAt ?? 'rules'} presets=${presets} run=${run} onSaved=${reloadPresets} />
  </section>`;
}

