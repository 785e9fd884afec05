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
const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;
const LETTER = /\p{L}/gu;

const count = (re: RegExp, s: string) => s.match(re)?.length ?? 0;

// Everyday words a Russian text does not contain, for texts without a telling letter.
const UKR_WORDS = new Set(['що', 'це', 'ще', 'вже', 'дуже', 'або', 'від', 'він', 'вона', 'дякую', 'якщо', 'який', 'яка', 'які', 'нема', 'немає', 'будь', 'годину', 'тиждень', 'тижні', 'треба', 'тобто', 'чому', 'скільки', 'потрібно', 'вулиці', 'вулиця']);
const BEL_WORDS = new Set(['дзе', 'што', 'гэта', 'ці', 'калі', 'дзякуй', 'вельмі', 'няма', 'трэба', 'цяпер', 'сёння', 'яшчэ', 'таксама', 'чаму', 'колькі', 'можна', 'вуліцы']);
function markerWords(words: string): { ukr: number; bel: number } {
  let ukr = 0;
  let bel = 0;
  for (const w of tokenize(words)) {
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
  const text = input.length > 2000 ? input.slice(0, 2000) : input;
  const lower = text.toLowerCase();
  // Links and mentions are not language; ё stays (it tells Russian and Belarusian from Ukrainian).
  const words = stripLinksAndMentions(lower);
  const letters = count(LETTER, words);
  if (letters < 3) return { language: 'und', reason: 'language und: fewer than 3 letters' };
  const cyr = count(CYRILLIC, words);
  const lat = count(LATIN, words);
  if (cyr + lat < letters * 0.6) return { language: 'und', reason: 'language und: neither Cyrillic nor Latin script' };

  if (cyr >= lat) {
    if (UKR_ONLY.test(words)) return { language: 'ukr', reason: 'language ukr: letters only Ukrainian writes (ї є ґ)' };
    if (KAZ_ONLY.test(words)) return { language: 'kaz', reason: 'language kaz: letters only Kazakh writes (ә ң ө ұ ү һ)' };
    if (UZB_ONLY.test(words) || (BEL_OR_UZB.test(words) && UZB_OR_KAZ.test(words))) return { language: 'uzb', reason: 'language uzb: Uzbek Cyrillic letters (ҳ, ў with қ ғ)' };
    // Kazakh writes і and ы everywhere; the Uzbek Cyrillic alphabet has neither.
    if (UZB_OR_KAZ.test(words)) return /[іы]/u.test(words) ? { language: 'kaz', reason: 'language kaz: қ ғ with і or ы' } : { language: 'uzb', reason: 'language uzb: қ ғ without і or ы' };
    if (BEL_OR_UZB.test(words)) return { language: 'bel', reason: 'language bel: ў without Uzbek letters' };
    if (!I_DOTTED.test(words)) {
      const m = markerWords(words);
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
