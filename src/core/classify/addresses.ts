/**
 * House numbers a post names ("бульвар Энтузиастов, 66", "ул. Садовая 12а", "у дома 5"). Two
 * complaints worded alike about different houses are different problems for the body that fixes
 * them, so near-duplicate detection refuses to merge posts whose house numbers disagree.
 */

// Abbreviations as people type them (after tokenising, "ул." is "ул", "пр-т" stays one token).
const STREET_ABBREVIATIONS = new Set(['ул', 'пр', 'пр-т', 'просп', 'б-р', 'бул', 'пер', 'ш', 'пл', 'наб', 'мкр', 'мкрн', 'кв-л']);
const STREET_WORDS = ['улиц', 'проспект', 'бульвар', 'переул', 'шоссе', 'площад', 'проезд', 'набережн', 'тупик', 'алле', 'микрорайон', 'квартал'];
// "площадка" (a playground) is not a square, "аллергия" is not an alley.
const NOT_STREET_WORDS = ['площадк', 'аллерг'];
const HOUSE_WORDS = new Set(['дом', 'дома', 'доме', 'дому', 'домом', 'д']);
/** "66", "12а", "12к2", "7б": what a house number looks like as one token. */
const HOUSE_NUMBER = /^\d{1,4}(?:[а-я]|к\d{1,2})?$/u;
/**
 * How many words a street name may take before its number after a street word: one
 * ("Энтузиастов", "Садовая"); allowing two lets "на улице холодно, автобус 12" name a house.
 * Longer names are caught when the gazetteer lists the street.
 */
const STREET_NAME_WORDS = 1;

function isStreetWord(token: string): boolean {
  if (STREET_ABBREVIATIONS.has(token)) return true;
  return STREET_WORDS.some((w) => token.startsWith(w)) && !NOT_STREET_WORDS.some((w) => token.startsWith(w));
}

/**
 * The house numbers in a tokenised text, sorted and without repeats: a number right after
 * "дом"/"д", or within a few words after a street word or after a street the gazetteer knows
 * (`streetEnds`: token positions where such a street name ends).
 */
export function houseNumbers(tokens: readonly string[], streetEnds: readonly number[] = []): string[] {
  const found = new Set<string>();
  const lookAfter = (from: number, words: number) => {
    for (let j = from; j < Math.min(tokens.length, from + words); j++) {
      const t = tokens[j] as string;
      if (HOUSE_NUMBER.test(t)) {
        found.add(t);
        return;
      }
      if (HOUSE_WORDS.has(t) || isStreetWord(t)) return;
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (HOUSE_WORDS.has(t)) lookAfter(i + 1, 1);
    else if (isStreetWord(t)) lookAfter(i + 1, STREET_NAME_WORDS + 1);
  }
  for (const end of streetEnds) lookAfter(end, 2);
  return [...found].sort();
}
