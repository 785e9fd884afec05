import { normalizeText, tokenize } from '../classify/text.js';
import { matcherOf, withStems, type TermMatcher } from '../classify/terms.js';

/**
 * Is an official answer an «отписка» — a formula that promises nothing («Ваше обращение принято»,
 * «информация будет передана», «рассмотрим в порядке очерёдности») — or does it say what was or will
 * be done, by when and by whom? Explainable: the verdict names the cues it found. Pure.
 *
 * The rule: an answer is substantive when it names an action done (a works verb, or any prefixed
 * past form that is not a forwarding verb), a promised action with a date, or a responsible person
 * with a date; a date alone is not enough («будет рассмотрено в течение 30 дней» is the classic
 * отписка). Anything else of four words or more is an отписка; shorter ones are unclear.
 */
export type AnswerVerdict = 'formal' | 'substantive' | 'unclear';

export interface AnswerQuality {
  verdict: AnswerVerdict;
  /** The phrases that made the verdict, by kind. */
  cues: { formula: string[]; action: string[]; date: string[]; responsible: string[] };
}

/** Phrases of a non-answer: acknowledging, forwarding, promising to look at it some day. */
const FORMULA = [
  'обращение принят*', 'обращение получен*', 'обращение зарегистрирован*', 'ваше обращение', 'благодарим за обращение', 'спасибо за обращение',
  'информаци* будет передан*', 'информаци* передан*', 'будет передан*', 'будет направлен*', 'направлен* для рассмотрения', 'передан* для рассмотрения', 'передан* в',
  'будет рассмотрен*', 'рассмотрим', 'будет проверен*', 'проверим', 'уточним', 'уточняется', 'разберемся', 'взят* на контроль', 'на контроле', 'держим на контроле',
  'в порядке очередност*', 'по мере возможност*', 'при наличии финансирован*', 'при поступлении финансирован*', 'в рамках полномочий', 'в пределах компетенции',
  'в установленн* срок*', 'будут приняты меры', 'примем меры', 'меры будут приняты', 'ситуаци* на контроле', 'вопрос прорабатывается', 'прорабатывается',
  'передал*', 'принят* к сведению', 'на рассмотрении', 'будет проведен* проверк*', 'по итогам', 'вам сообщат', 'сообщим', 'рекомендуем обратиться', 'в компетенции',
];

/** Something done or to be done, in the words of the works themselves. */
const ACTION = [
  '=выполнен', '=выполнена', '=выполнено', '=выполнены', 'выполнили', 'устранен*', 'устранили', 'отремонтирован*', 'отремонтировали', 'заменен*', 'заменили',
  'заделан*', 'заделали', 'засыпан*', 'засыпали', 'вывезен*', 'вывезли', 'вывоз', '=убран', '=убрана', '=убрано', '=убраны', 'убрали', 'очищен*', 'очистили',
  '=установлен', '=установлена', '=установлено', '=установлены', 'установили', 'восстановлен*', 'восстановили', 'подключен*', 'подключили', 'покрашен*', 'покрасили',
  'спилен*', 'спилили', 'демонтирован*', 'демонтировали', 'отловили', 'отлов', 'проведен* ремонт', 'проведены работы', 'работы завершен*', 'расчищен*', 'расчистили',
  'посыпан*', 'посыпали', 'обновлен*', 'обновили', 'откачали', 'огородили', 'закрыт* новой', 'выехал*', 'выезд', 'бригад*',
  'включен* в план', 'включен* в перечень', 'заключен* контракт', 'подрядчик*', 'выдано предписание',
];

/**
 * A completed action in general Russian morphology, for the verbs no list names: a prefixed past
 * plural («закрепили», «прочистили») or short participle («закрыто», «запущено», «обновлены»).
 */
const DONE_FORM = /^(?:за|по|про|от|вы|у|рас|раз|пере|с|на|до|под|об|о|в|вз|из)[а-я]{2,}(?:или|ыли|али|яли|ели|ено|ена|ены|ано|ана|аны|ито|ита|иты|ыто|ыта|ыты)$/u;
/** Past forms that only move the matter on or acknowledge it: an отписка's verbs, not an action. */
const FORWARDING = ['передал', 'передан', 'направил', 'направлен', 'переадресова', 'довел', 'доведен', 'зарегистрирова', 'зафиксирова', 'получен', 'получил', 'принят', 'приняли', 'рассмотрен', 'рассмотрел', 'поручен', 'поручил', 'запланирова', 'определен', 'сообщил', 'уведомл', 'отправлен', 'отправил', 'просил', 'обратил'];
/** Answers shorter than this are too short to call anything. */
const MIN_WORDS = 4;

/** Words that make an action a promise: «будет выполнен в порядке очерёдности» commits to nothing without a date. */
const PROMISE = new Set(['будет', 'будут', 'планируется', 'планируются', 'планируем']);

/** Who answers for it: a named responsible or a way to reach them. */
const RESPONSIBLE = ['ответственн*', 'мастер*', 'прораб*', 'инженер*', 'начальник участк*', '=тел', 'телефон*', 'контактн*'];

const MONTH = '(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)';
// JavaScript's \\b knows only Latin letters: a word edge in Russian is spelled out.
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';
/** A day and month, a date, a weekday or a span: «до 15 декабря», «20.11», «в течение 3 дней», «к пятнице», «завтра». */
const DATE = new RegExp(
  [
    `${START}\\d{1,2}[./]\\d{1,2}(?:[./]\\d{2,4})?${END}`,
    `${START}\\d{1,2}:\\d{2}${END}`,
    `${START}\\d{1,2}\\s+${MONTH}`,
    `${START}(?:до|к|в|с)\\s+(?:конц[ау]\\s+)?${MONTH}`,
    `${START}в\\s+течени[еи]\\s+\\d+\\s+\\p{L}+`,
    `${START}(?:завтра|сегодня|послезавтра|вчера)${END}`,
    `${START}(?:до|к|в)\\s+(?:понедельник|вторник|сред[уы]|четверг|пятниц[уы]|суббот[уы]|воскресень[яе])`,
    `${START}(?:на этой|на следующей)\\s+неделе${END}`,
    `${START}20\\d\\d\\s*(?:г|год)`,
    `${START}[1-4]\\s*квартал`,
  ].join('|'),
  'giu',
);
/** «И. И. Иванов», «Иванов И.И.»: a person named. */
const PERSON = /\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|\b[А-ЯЁ][а-яё]+\s[А-ЯЁ]\.\s?[А-ЯЁ]\./u;


const formula = matcherOf(FORMULA);
const action = matcherOf(ACTION);
const responsible = matcherOf(RESPONSIBLE);

export function judgeAnswer(text: string): AnswerQuality {
  const tokens = withStems(tokenize(normalizeText(text)));
  const words = (m: TermMatcher<string>) => [...new Set(m.match(tokens).map((h) => tokens.tokens.slice(h.start, h.end).join(' ')))];
  // An action with «будет» in front is a promise: it counts with a date, not alone.
  const general = tokens.tokens.flatMap((t, i) => (DONE_FORM.test(t) && !FORWARDING.some((f) => t.startsWith(f)) ? [{ start: i, end: i + 1 }] : []));
  const hits = [...action.match(tokens), ...general];
  const done = hits.filter((h) => !PROMISE.has(tokens.tokens[h.start - 1] ?? '') && !PROMISE.has(tokens.tokens[h.start - 2] ?? ''));
  const cues = {
    formula: words(formula),
    action: [...new Set(hits.map((h) => tokens.tokens.slice(h.start, h.end).join(' ')))],
    date: [...new Set([...text.matchAll(DATE)].map((m) => m[0].trim()))],
    responsible: [...words(responsible), ...(PERSON.exec(text)?.map((m) => m) ?? [])],
  };
  const dated = cues.date.length > 0;
  const concrete = done.length > 0 || (hits.length > 0 && dated) || (cues.responsible.length > 0 && dated);
  // An official answer that names no action and no dated responsible promises nothing: an отписка,
  // whether or not it uses a known formula; only one too short to read stays unclear.
  const verdict: AnswerVerdict = concrete ? 'substantive' : cues.formula.length > 0 || tokens.tokens.length >= MIN_WORDS ? 'formal' : 'unclear';
  return { verdict, cues };
}
