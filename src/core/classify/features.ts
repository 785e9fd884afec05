import { stemWord } from '../search/analyze.js';
import { words as RUSSIAN_STOPWORDS } from 'natural/lib/natural/util/stopwords_ru.js';
import { normalizeText, tokenize } from './text.js';

const NEGATIONS = new Set(['не', 'нет', 'ни', 'без', 'нельзя', 'никак', 'никогда']);
// Greetings and courtesy are how a citizen addresses the authorities, not how they feel: CEDR
// learnt "здравствуйте" and "добрый" as joy, which made polite complaints and questions positive.
const COURTESY = new Set(['здравствуйте', 'здравствуй', 'здрасте', 'здрасьте', 'приветствую', 'уважаемые', 'уважаемая', 'уважаемый', 'уважаемое', 'пожалуйста', 'пожалуйсто', 'извините', 'простите']);
const GREETING_FIRST = new Set(['добрый', 'доброе', 'доброго', 'доброй']);
const GREETING_SECOND = new Set(['день', 'дня', 'вечер', 'вечера', 'утро', 'утра', 'ночи', 'времени', 'суток']);
const MAX_CHARS = 20_000;
const SMILE_MARK = /\)\)|[:;]-?\)|\u{1F600}|\u{1F60A}|\u{1F642}|\u{2764}|\u{1F44D}/u;
const FROWN_MARK = /\(\(|[:;]-?\(|\u{1F621}|\u{1F620}|\u{1F622}|\u{1F62D}|\u{1F44E}/u;

/** Whether the text may hold a smiley of this bracket: the bracket itself, or any emoji (surrogates, ❤). */
function hasBracket(raw: string, bracket: string): boolean {
  if (raw.includes(bracket)) return true;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) >= 0x2700) return true;
  return false;
}

/**
 * Receives features one at a time, as a kind (`w` stem, `n` negated stem, `b` bigram, `m` mark) and
 * its parts: prediction looks the parts up as they are, without building a name per feature.
 */
export type FeatureSink = (kind: FeatureKind, a: string, b?: string) => void;
export type FeatureKind = 'w' | 'n' | 'b' | 'm' | 'p' | 'f';
/** A text's features, walked into a sink (see textFeatureWalk / topicFeatureWalk). */
export type FeatureWalk = (emit: FeatureSink) => void;

/** A feature's name as models store it: `w:стем`, `b:перв_втор`, `m:smile`. */
export function featureName(kind: FeatureKind, a: string, b?: string): string {
  return b === undefined ? `${kind}:${a}` : `${kind}:${a}_${b}`;
}

/** The inverse of featureName: `b:перв_втор` → b, перв, втор; undefined for a name of no known kind. */
export function splitFeatureName(name: string): [FeatureKind, string, string | undefined] | undefined {
  const kind = name[0];
  if (name[1] !== ':' || (kind !== 'w' && kind !== 'n' && kind !== 'b' && kind !== 'm' && kind !== 'p' && kind !== 'f')) return undefined;
  const rest = name.slice(2);
  // Tokens are letters, digits and hyphens, so the first underscore is the bigram's joint.
  const cut = kind === 'b' ? rest.indexOf('_') : -1;
  return cut < 0 ? [kind, rest, undefined] : [kind, rest.slice(0, cut), rest.slice(cut + 1)];
}

const collect = (walk: FeatureWalk): string[] => {
  const out: string[] = [];
  walk((kind, a, b) => out.push(featureName(kind, a, b)));
  return out;
};

/**
 * What the linear models see in a text: stems, stem bigrams, negation carried onto the next stem
 * (`не_работ`: "не работает" is not "работает"), and the marks short informal posts express
 * feeling with — bracket smileys `)))` / `(((`, `!`, `?`. Greetings and courtesy words are left out.
 */
export function textFeatures(text: string, tokenized?: readonly string[], stemmed?: readonly string[]): string[] {
  return collect(textFeatureWalk(text, tokenized, stemmed));
}

/** textFeatures as a walk; callers that tokenised the same text already (the classifier) pass the tokens in. */
export function textFeatureWalk(text: string, tokenized?: readonly string[], stemmed?: readonly string[]): FeatureWalk {
  const raw = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const tokens = tokenized ?? tokenize(normalizeText(raw));
  return (emit) => {
    let prev: string | undefined;
    let negate = false;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i] as string;
      if (COURTESY.has(tok) || (GREETING_FIRST.has(tok) && GREETING_SECOND.has(tokens[i + 1] as string))) {
        // Skipped as if absent: "уберите, пожалуйста, снег" still pairs "уберите" with "снег".
        if (GREETING_FIRST.has(tok)) i++;
        continue;
      }
      if (NEGATIONS.has(tok)) {
        negate = true;
        emit('w', tok);
        prev = tok;
        continue;
      }
      const stem = stemmed?.[i] ?? stemWord(tok);
      emit(negate ? 'n' : 'w', stem);
      if (prev !== undefined) emit('b', prev, stem);
      prev = stem;
      negate = false;
    }
    if (hasBracket(raw, ')') && SMILE_MARK.test(raw)) emit('m', 'smile');
    if (hasBracket(raw, '(') && FROWN_MARK.test(raw)) emit('m', 'frown');
    if (raw.includes('!')) emit('m', 'excl');
    if (raw.includes('?')) emit('m', 'question');
    if (tokens.length <= 3) emit('m', 'short');
  };
}

// Function words say nothing about what a post is about; with a few hundred examples they would
// drown the words that do. natural's Russian list, plus the particles and question words it lacks.
const TOPIC_STOPWORDS = new Set([...RUSSIAN_STOPWORDS, 'не', 'нет', 'ни', 'ли', 'же', 'уже', 'ещё', 'еще', 'опять', 'снова', 'когда', 'почему', 'где', 'куда', 'кто', 'что', 'как', 'это', 'вот', 'так', 'там', 'тут', 'очень', 'просто', 'вообще', 'всё', 'все', 'весь', 'вся', 'наш', 'наша', 'наше', 'наши', 'у', 'с', 'к', 'по', 'из', 'от', 'до', 'за', 'при', 'про']);

function allDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A word that says what a text is about: not a function word, a number or a single letter. */
export function isContentWord(token: string): boolean {
  return token.length >= 2 && !TOPIC_STOPWORDS.has(token) && !allDigits(token);
}

/**
 * What the topic model sees: stems of content words and the first letters of long ones. Numbers,
 * one-letter words and function words are left out.
 */
export function topicFeatures(text: string, tokenized?: readonly string[], stemmed?: readonly string[]): string[] {
  return collect(topicFeatureWalk(text, tokenized, stemmed));
}

/** Words at least this long also give their first PREFIX_LETTERS letters as a feature. */
const PREFIX_FROM = 6;
const PREFIX_LETTERS = 5;

/**
 * topicFeatures as a walk: stems, and a long word's first five letters — real posts misspell
 * ("тратуара", "сфетофора" lose their stem, but "освещ", "контей", "благо" survive most typos and the
 * stemmer's misses). No bigrams: on real appeals they scored no better (0.835 / 0.819 balanced
 * macro-F1 on the two halves without them, 0.834 / 0.814 with) and cost a lookup a word.
 */
export function topicFeatureWalk(text: string, tokenized?: readonly string[], stemmed?: readonly string[]): FeatureWalk {
  const tokens = tokenized ?? tokenize(normalizeText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text));
  return (emit) => {
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i] as string;
      if (!isContentWord(tok)) continue;
      const stem = stemmed?.[i] ?? stemWord(tok);
      emit('w', stem);
      if (tok.length >= PREFIX_FROM) emit('p', tok.slice(0, PREFIX_LETTERS));
    }
  };
}
