// The engine's API as the console calls it: JSON in and out, errors in Russian by code.

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
  SEARCH_QUERY_CANCELLED: 'Поиск остановлен.',
  SEARCH_INDEX_FAILED: 'Поисковый индекс не принял данные, попробуйте позже.',
  SEARCH_DOCUMENT_REJECTED: 'Поисковый индекс отверг запись.',
  SCHEDULE_INVALID: 'Расписание заполнено неверно.',
  PAUSE_INVALID: 'Приостановка заполнена неверно.',
  TIMEZONE_INVALID: 'Неизвестный часовой пояс.',
  POLICY_INVALID: 'Правило сроков заполнено неверно.',
  CALENDAR_INVALID: 'Производственный календарь заполнен неверно.',
  NOTIFY_FAILED: 'Уведомление не доставлено, система повторит попытку.',
  NOTIFY_REJECTED: 'Получатель отказался принять уведомление: проверьте адрес.',
  CLASSIFY_INPUT_INVALID: 'Текст для разбора передан неверно.',
  POST_INVALID: 'Публикация в непригодном виде.',
  PLATFORM_UNSUPPORTED: 'Эта платформа не поддерживается.',
  PLATFORM_RATE_LIMITED: 'Платформа просит подождать: слишком много запросов.',
  PLATFORM_AUTH_FAILED: 'Платформа не приняла учётные данные: проверьте токен.',
  PLATFORM_CONFLICT: 'Платформа сообщила о конфликте, попробуйте ещё раз.',
  PLATFORM_UNAVAILABLE: 'Платформа сейчас недоступна, попробуйте позже.',
  PLATFORM_RESPONSE_INVALID: 'Платформа ответила в неожиданном виде.',
  PLATFORM_ERROR: 'Платформа вернула ошибку.',
  KIBANA_IMPORT_FAILED: 'Не удалось загрузить панели в Kibana.',
  JOB_PAYLOAD_INVALID: 'Задание в очереди в непригодном виде.',
  STAGE_FAILED: 'Этап обработки не выполнен, система повторит попытку.',
  REPLAY_LINE_MALFORMED: 'Строка файла воспроизведения в непригодном виде.',
  REPLAY_FILE_UNREADABLE: 'Файл воспроизведения не читается.',
  CONFIG_INVALID: 'Ошибка в настройках сервера.',
  RULES_INVALID: 'Ошибка в файлах правил сервера.',
  SOURCE_UNKNOWN_TYPE: 'Неизвестный вид источника в настройках сервера.',
  SOURCE_CONFIG_INVALID: 'Источник настроен неверно.',
  REDIS_BINARY_MISSING: 'Ошибка настройки сервера: нет Redis.',
  REDIS_START_FAILED: 'Ошибка настройки сервера: Redis не запустился.',
};

/** Every code the console has a text for (a test checks the server's catalogue against it). */
export const KNOWN_ERROR_CODES = Object.keys(ERROR_TEXTS);

export function errorText(code, status) {
  return ERROR_TEXTS[code] ?? (status >= 500 ? 'Ошибка сервера, попробуйте позже.' : 'Запрос не выполнен.');
}

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(errorText(code, status));
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

/** Fired when the server no longer knows the session: the console shows the sign-in form and comes back. */
export const SIGNED_OUT = 'otklik:signed-out';

export async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) {
    const code = data?.error?.code ?? 'HTTP';
    if (res.status === 401 && url !== '/auth/login') dispatchEvent(new CustomEvent(SIGNED_OUT));
    throw new ApiError(res.status, code, data?.error?.message ?? res.statusText);
  }
  return data;
}

/** Every item of a paged list, page by page. */
export async function allPages(url) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await api('GET', `${url}${url.includes('?') ? '&' : '?'}size=500&page=${page}`);
    items.push(...r.items);
    if (r.items.length === 0 || items.length >= r.total) return { ...r, items };
  }
}

/** A query string; arrays become repeated parameters (territory ids contain commas). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || v === false) continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x)));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function act(incident, action) {
  return api('POST', `/incidents/${encodeURIComponent(incident.id)}/actions`, { action, expectedVersion: incident.version });
}
