import { describe, expect, it } from 'vitest';
import { TypoMender } from '../../../../src/core/classify/typos.js';
import { stemWord } from '../../../../src/core/search/analyze.js';
import { loadWordList } from '../../../../src/adapters/files/word-list.js';
import { resolveProjectPath } from '../../../../src/paths.js';

const ruleWords = [
  { value: 'светофор', whole: false },
  { value: 'тротуар', whole: false },
  { value: 'канализац', whole: false },
  { value: 'дорог', whole: false },
  { value: 'школа', whole: true },
  { value: 'мусора', whole: true },
  { value: 'просел', whole: false },
  { value: 'проселк', whole: false },
  { value: 'комар', whole: false },
  { value: 'салон', whole: false },
];
const mender = new TypoMender(ruleWords);
const tokensOf = (text: string) => text.split(' ');
const mend = (text: string, m = mender) => m.mend(tokensOf(text), tokensOf(text).map(stemWord))?.tokens.join(' ');
// The shipped list (npm run lexicon): stems of the spelling dictionary's word forms.
const known = loadWordList(resolveProjectPath('rules/lexicon/ru-stems.txt.gz'));
const withKnown = new TypoMender(ruleWords, known);

describe('TypoMender', () => {
  it('mends one slip after the first letter toward a rule word, keeping the ending', () => {
    expect(mend('линза сфетофора')).toBe('линза светофора'); // substitution
    expect(mend('нет тратуара')).toBe('нет тротуара');
    expect(mend('свеотфора')).toBe('светофора'); // neighbours swapped
    expect(mend('светтофора')).toBe('светофора'); // an extra letter
    expect(mend('сетофора')).toBe('светофора'); // a missing letter
    expect(mender.mend(['линза', 'сфетофора'], ['линз', 'сфетофор'])?.changes).toEqual(['сфетофора → светофора']);
  });

  it('leaves alone what is no slip: right words, first letters, endings, short words, two slips', () => {
    expect(mend('светофор не работает')).toBeUndefined();
    expect(mend('цветофора')).toBeUndefined(); // the first letter is never mended
    expect(mend('дорожный')).toBeUndefined(); // the prefix's last letter: another word of the family
    expect(mend('мусоре')).toBeUndefined(); // another form of an exact word
    expect(mend('шкала')).toBeUndefined(); // shorter than a mendable word
    expect(mend('сфетафора')).toBeUndefined(); // two slips
    expect(mend('канализации')).toBeUndefined();
  });

  it('leaves correctly spelt words alone, however close to a rule word, and still mends slips', () => {
    // Without the known words, each of these is "mended" into a topic word: ordinary sentences got
    // a topic and an alert from it.
    for (const [word, mended] of [['провели', 'просели'], ['поселки', 'проселки'], ['кошмарного', 'комарного'], ['склонен', 'салонен']] as const) {
      expect(mend(word)).toBe(mended);
      expect(mend(word, withKnown)).toBeUndefined();
    }
    expect(mend('линза сфетофора', withKnown)).toBe('линза светофора');
    expect(mend('нет тратуара', withKnown)).toBe('нет тротуара');
    expect(mend('сетофора', withKnown)).toBe('светофора');
  });

  it("the known stems hold the dictionary's words and not their misspellings", () => {
    expect(known.size).toBeGreaterThan(100_000);
    for (const w of ['светофора', 'тротуара', 'канализации', 'провели', 'поселки', 'подъезда', 'освещения']) expect(known.has(stemWord(w)), w).toBe(true);
    for (const w of ['сфетофора', 'тратуара', 'канализацыя', 'освешение', 'асфальд']) expect(known.has(stemWord(w)), w).toBe(false);
  });
});
