import { describe, expect, it } from 'vitest';
import { TypoMender } from '../../../../src/core/classify/typos.js';

const mender = new TypoMender([
  { value: 'светофор', whole: false },
  { value: 'тротуар', whole: false },
  { value: 'канализац', whole: false },
  { value: 'дорог', whole: false },
  { value: 'школа', whole: true },
  { value: 'мусора', whole: true },
]);
const mend = (text: string) => mender.mend(text.split(' '))?.tokens.join(' ');

describe('TypoMender', () => {
  it('mends one slip after the first letter toward a rule word, keeping the ending', () => {
    expect(mend('линза сфетофора')).toBe('линза светофора'); // substitution
    expect(mend('нет тратуара')).toBe('нет тротуара');
    expect(mend('свеотфора')).toBe('светофора'); // neighbours swapped
    expect(mend('светтофора')).toBe('светофора'); // an extra letter
    expect(mend('сетофора')).toBe('светофора'); // a missing letter
    expect(mender.mend(['линза', 'сфетофора'])?.changes).toEqual(['сфетофора → светофора']);
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
});
