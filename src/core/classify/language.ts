import { franc } from 'franc';
import { stripLinksAndMentions, tokenize } from './text.js';

/** The languages the engine tells apart; `und` when it cannot say. */
export type Language = 'rus' | 'ukr' | 'bel' | 'kaz' | 'uzb' | 'eng' | 'und';

export interface LanguageResult {
  language: Language;
  /** Why: the rule that decided, for the explanation shown to analysts. */
  reason: string;
}

// Letters that only one of the Cyrillic languages here writes (Uzbek Cyrillic shares ў with
// Belarusian and қ ғ with Kazakh, so those decide only together with the rest of the word).
const UKR_ONLY = /[їєґ]/u;
const KAZ_ONLY = /[әңөұүһ]/u;
const UZB_ONLY = /[ҳ]/u;
const UZB_OR_KAZ = /[қғ]/u;
const BEL_OR_UZB = /[ў]/u;
const I_DOTTED = /і/u; // Ukrainian, Belarusian, Kazakh: never Russian
const RUS_OR_BEL = /[ыэё]/u; // never Ukrainian
const NOT_BEL = /[иъщ]/u; // Belarusian writes і, ь', ш·ч instead
const CYRILLIC = /^\p{Script=Cyrillic}$/u;
const LATIN = /^\p{Script=Latin}$/u;
const LETTER = /^\p{L}$/u;

/**
 * Letters, Cyrillic and Latin characters in one pass: ASCII and the Russian alphabet by their
 * codes (nearly every character of a post), the rest by Unicode property. Three global regex
 * matches built an array per letter and cost more than the rest of language detection.
 */
function scriptCounts(s: string): { letters: number; cyr: number; lat: number } {
  let letters = 0;
  let cyr = 0;
  let lat = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const l = c | 0x20;
      if (l >= 0x61 && l <= 0x7a) {
        letters++;
        lat++;
      }
      continue;
    }
    // а–я, А–Я, ё, Ё and the rest of U+0400–U+0481: letters of Cyrillic script.
    if (c >= 0x400 && c <= 0x481) {
      letters++;
      cyr++;
      continue;
    }
    const cp = s.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    if (LETTER.test(ch)) letters++;
    if (CYRILLIC.test(ch)) cyr++;
    else if (LATIN.test(ch)) lat++;
  }
  return { letters, cyr, lat };
}

// Everyday words a Russian text does not contain, for texts without a telling letter.
const UKR_WORDS = new Set(['що', 'це', 'ще', 'вже', 'дуже', 'або', 'від', 'він', 'вона', 'дякую', 'якщо', 'який', 'яка', 'які', 'нема', 'немає', 'будь', 'годину', 'тиждень', 'тижні', 'треба', 'тобто', 'чому', 'скільки', 'потрібно', 'вулиці', 'вулиця']);
// With ё folded to е too ("сення"): the classifier passes its folded tokens.
const BEL_WORDS = new Set(['дзе', 'што', 'гэта', 'ці', 'калі', 'дзякуй', 'вельмі', 'няма', 'трэба', 'цяпер', 'сёння', 'сення', 'яшчэ', 'таксама', 'чаму', 'колькі', 'можна', 'вуліцы']);
function markerWords(tokens: readonly string[]): { ukr: number; bel: number } {
  let ukr = 0;
  let bel = 0;
  for (const w of tokens) {
    if (UKR_WORDS.has(w)) ukr++;
    if (BEL_WORDS.has(w)) bel++;
  }
  return { ukr, bel };
}

/**
 * Language of a short social-media text. franc alone calls most short Russian posts Ukrainian,
 * Bulgarian or Serbian, so letters that only one language writes decide first, then the letters a
 * language never writes rule candidates out, and franc (restricted to what is left) settles the rest.
 */
export function detectLanguage(input: string): LanguageResult {
  const text = input.length > LANGUAGE_SAMPLE_CHARS ? input.slice(0, LANGUAGE_SAMPLE_CHARS) : input;
  // Links and mentions are not language; ё stays (it tells Russian and Belarusian from Ukrainian).
  return detectLanguageOfWords(stripLinksAndMentions(text.toLowerCase()));
}

/** How much of a text language detection reads. */
export const LANGUAGE_SAMPLE_CHARS = 2000;

/**
 * The same for a text already lower-cased and without links and mentions (ё kept), at most
 * LANGUAGE_SAMPLE_CHARS long: the classifier prepares that form once for everything it does, and
 * passes its tokens of it (ё folded or not) so they are not made twice.
 */
export function detectLanguageOfWords(words: string, tokens?: readonly string[]): LanguageResult {
  const { letters, cyr, lat } = scriptCounts(words);
  if (letters < 3) return { language: 'und', reason: 'language und: fewer than 3 letters' };
  if (cyr + lat < letters * 0.6) return { language: 'und', reason: 'language und: neither Cyrillic nor Latin script' };

  if (cyr >= lat) {
    if (UKR_ONLY.test(words)) return { language: 'ukr', reason: 'language ukr: letters only Ukrainian writes (ї є ґ)' };
    if (KAZ_ONLY.test(words)) return { language: 'kaz', reason: 'language kaz: letters only Kazakh writes (ә ң ө ұ ү һ)' };
    if (UZB_ONLY.test(words) || (BEL_OR_UZB.test(words) && UZB_OR_KAZ.test(words))) return { language: 'uzb', reason: 'language uzb: Uzbek Cyrillic letters (ҳ, ў with қ ғ)' };
    // Kazakh writes і and ы everywhere; the Uzbek Cyrillic alphabet has neither.
    if (UZB_OR_KAZ.test(words)) return /[іы]/u.test(words) ? { language: 'kaz', reason: 'language kaz: қ ғ with і or ы' } : { language: 'uzb', reason: 'language uzb: қ ғ without і or ы' };
    if (BEL_OR_UZB.test(words)) return { language: 'bel', reason: 'language bel: ў without Uzbek letters' };
    if (!I_DOTTED.test(words)) {
      const m = markerWords(tokens ?? tokenize(words));
      if (!RUS_OR_BEL.test(words) && m.ukr > 0 && m.ukr > m.bel) return { language: 'ukr', reason: 'language ukr: Ukrainian everyday words, no Russian-only letters' };
      if (!NOT_BEL.test(words) && m.bel > 0 && m.bel >= m.ukr) return { language: 'bel', reason: 'language bel: Belarusian everyday words, no и щ ъ' };
      return { language: 'rus', reason: 'language rus: Cyrillic without і and without letters or words of other languages' };
    }
    // Dotted і: Ukrainian or Belarusian (Kazakh would show its own letters by now).
    if (RUS_OR_BEL.test(words) && !NOT_BEL.test(words)) return { language: 'bel', reason: 'language bel: і with ы э ё' };
    if (NOT_BEL.test(words) && !RUS_OR_BEL.test(words)) return { language: 'ukr', reason: 'language ukr: і with и щ ъ' };
    const guess = franc(words, { only: ['ukr', 'bel', 'rus'], minLength: 3 });
    if (guess === 'ukr' || guess === 'bel' || guess === 'rus') return { language: guess, reason: `language ${guess}: franc among ukr/bel/rus` };
    return { language: 'und', reason: 'language und: Cyrillic, undecided' };
  }
  const guess = franc(words, { only: ['eng', 'uzn'], minLength: 3 });
  if (guess === 'eng') return { language: 'eng', reason: 'language eng: franc among Latin-script languages' };
  if (guess === 'uzn') return { language: 'uzb', reason: 'language uzb: franc (Uzbek Latin)' };
  return { language: 'und', reason: 'language und: Latin script, undecided' };
}
