// How the console names things: Russian labels for the engine's codes, dates in a zone, durations.

export const STATUS = {
  alert: 'оповещение', rejected: 'отклонено', merged: 'объединено', routed: 'направлено', in_progress: 'в работе',
  answered_interim: 'промежуточный ответ', answered_final: 'окончательный ответ', closed: 'закрыто', paused: 'приостановлено',
  on_review: 'ответ на проверке',
};
export const TYPE = { complaint: 'жалоба', question: 'вопрос', gratitude: 'благодарность', review: 'отзыв', other: 'прочее' };
export const SENTIMENT = { negative: 'негатив', neutral: 'нейтрально', positive: 'позитив' };
export const PLATFORM = { vk: 'ВКонтакте', ok: 'Одноклассники', tg: 'Telegram' };
export const ROLE = { admin: 'администратор', moderator: 'модератор', responder: 'исполнитель', analyst: 'аналитик' };
export const ACTION = {
  open: 'открыто', accept: 'принято', reject: 'отклонено', merge: 'объединено', absorb: 'поглощено', split_off: 'выделено', reclassify: 'тема изменена',
  set_priority: 'приоритет', reroute: 'перенаправлено', take: 'взято в работу', answer: 'ответ', pause: 'приостановлено', resume: 'возобновлено',
  close: 'закрыто', reopen: 'переоткрыто', clock_warning: 'предупреждение SLA', clock_due: 'срок истёк', attach_duplicate: 'добавлена копия',
  mark_repeat: 'повторное обращение', reaction: 'реакция в обсуждении', approve_answer: 'ответ одобрен', return_answer: 'ответ возвращён на доработку',
};
export const DEADLINE_KIND = { first_response: 'первый ответ', final_answer: 'окончательный ответ' };
/** The rules file's SLA policy names, in Russian. */
export const SLA_POLICY = { standard: 'рабочие дни', 'round-the-clock': 'круглосуточно' };

/** Only web links are followed: a post's permalink could be `javascript:`. */
export function safeUrl(u) {
  return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : undefined;
}

export function fmt(iso, zone) {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat('ru-RU', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return new Date(iso).toLocaleString('ru-RU');
  }
}

/** «16.11 11:11»: a table cell's date in a zone. */
export function shortDate(iso, zone) {
  if (!iso) return '';
  try {
    const p = Object.fromEntries(new Intl.DateTimeFormat('ru-RU', { timeZone: zone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
    return `${p.day}.${p.month} ${p.hour}:${p.minute}`;
  } catch {
    return fmt(iso, zone);
  }
}

export function duration(ms) {
  const m = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return `${d > 0 ? `${d} д ` : ''}${h > 0 || d > 0 ? `${h} ч ` : ''}${m % 60} мин`;
}

/** A short waiting time for a table cell: 5 мин, 3 ч, 2 д. */
export function shortDuration(ms) {
  const m = Math.max(0, Math.round(ms / 60000));
  if (m < 60) return `${m} мин`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} ч`;
  return `${Math.floor(m / 1440)} д`;
}

/** Minutes east of UTC of a zone at a moment, as Intl knows it. */
function offsetMinutes(zone, at) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(at).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((local - at.getTime()) / 60000);
}

/** A zone as Russian readers name it: МСК, МСК+2, МСК−1 (the body's time against Moscow's). */
export function zoneLabel(zone) {
  if (!zone) return 'местное время';
  try {
    const now = new Date();
    const diff = (offsetMinutes(zone, now) - offsetMinutes('Europe/Moscow', now)) / 60;
    return diff === 0 ? 'МСК' : `МСК${diff > 0 ? '+' : '−'}${Math.abs(diff)}`;
  } catch {
    return zone;
  }
}

/** Who acted, as people read it: the engine's parts by what they do, users by login, keys as keys. */
const SYSTEM_ACTORS = { pipeline: 'система: новый пост', 'sla-timer': 'система: таймер сроков', 'near-duplicates': 'система: поиск копий', 'repeat-detector': 'система: поиск повторов', 'reaction-watch': 'система: реакция жителей' };
export function actorLabel(id) {
  if (SYSTEM_ACTORS[id]) return SYSTEM_ACTORS[id];
  if (id.startsWith('user:')) return id.slice(5);
  if (id.startsWith('key:')) return `API-ключ ${id.slice(4, 12)}`;
  return id;
}

export function topicName(dir, id) {
  return dir.topicNames.get(id) ?? id;
}

/**
 * Why a body was proposed, in Russian. The engine's router writes `route <topic> × <territory> ×
 * "<term>" → administration of <territory>; over <runner-up>` or `no route for <topic>: fallback`
 * (src/core/routing/router.ts).
 */
export function routeReasonText(reason, dir) {
  if (!reason) return '';
  const none = /^no route for (\S+): fallback$/.exec(reason);
  if (none) return `нет правила для темы «${topicName(dir, none[1])}»: исполнитель по умолчанию`;
  const learnt = /^learned ([\d.]+); no route for (\S+)$/.exec(reason);
  if (learnt) return `нет правила для темы «${topicName(dir, learnt[2])}»: исполнитель предложен по прежним решениям модераторов (уверенность ${decimal(learnt[1])})`;
  const rule = /^route (.+?)(?:; learned ([\d.]+))?$/.exec(reason);
  if (!rule) return reason;
  const [won, over] = rule[1].split('; over ');
  const text = `по правилу: ${ruleText(won, dir)}`;
  const chosen = rule[2] ? `; из равных правил выбрано по прежним решениям модераторов (уверенность ${decimal(rule[2])})` : '';
  return `${over ? `${text} (${rule[2] ? 'другое правило' : 'важнее правила'}: ${ruleText(over, dir)})` : text}${chosen}`;
}

/** «0,72»: a decimal as Russian writes it. */
function decimal(x) {
  return String(x).replace('.', ',');
}

function ruleText(rule, dir) {
  const [match, admin] = rule.split(' → administration of ');
  const [topic, ...rest] = match.split(' × ');
  const parts = rest.map((p) => (p.startsWith('"') ? `по слову «${p.slice(1, -1)}»` : p));
  return `${[topicName(dir, topic), ...parts].join(' × ')}${admin ? ` → администрация: ${admin}` : ''}`;
}

/** «5 оповещений»: the Russian plural for a count. */
export function plural(n, one, few, many) {
  const t = n % 10;
  const h = n % 100;
  const word = t === 1 && h !== 11 ? one : t >= 2 && t <= 4 && (h < 12 || h > 14) ? few : many;
  return `${n} ${word}`;
}
