import { describe, expect, it } from 'vitest';
import { parseTerm, TermMatcher, withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';

const text = (s: string) => withStems(tokenize(normalizeText(s)));

describe('term syntax', () => {
  it('parses word forms, prefixes, exact forms, phrases and weights', () => {
    expect(parseTerm('Яма')).toMatchObject({ words: [{ kind: 'stem', value: 'ям' }], weight: 1 });
    expect(parseTerm('выбоин*^2')).toMatchObject({ words: [{ kind: 'prefix', value: 'выбоин' }], weight: 2 });
    expect(parseTerm('=дорогой')).toMatchObject({ words: [{ kind: 'exact', value: 'дорогой' }] });
    expect(parseTerm('открыт* люк^1.5')).toMatchObject({ words: [{ kind: 'prefix' }, { kind: 'stem', value: 'люк' }], weight: 1.5 });
    expect(parseTerm('Гололёд')).toMatchObject({ words: [{ kind: 'stem' }] });
  });

  it('says what is wrong with a broken term', () => {
    expect(parseTerm('')).toBe('empty term');
    expect(parseTerm('яма^')).toMatch(/weight after \^ must be a number/);
    expect(parseTerm('яма^0')).toMatch(/weight after \^/);
    expect(parseTerm('ям*')).toMatch(/at least 3 letters/);
    expect(parseTerm('я*ма')).toMatch(/is not a word/);
    expect(parseTerm('=ям*')).toMatch(/do not combine/);
    expect(parseTerm('а б в г д е ж')).toMatch(/at most 6 words/);
  });
});

describe('TermMatcher', () => {
  const m = new TermMatcher<string>();
  for (const [t, p] of [
    ['яма', 'pothole'],
    ['выбоин*', 'pothole'],
    ['открытый люк', 'manhole'],
    ['=дорогой', 'dear'],
  ] as const)
    m.add(t, p);

  it('matches any form of a word, a prefix, an exact form, a phrase in a row', () => {
    const hits = m.match(text('Ямы и выбоинами, дорогой мэр, а ещё открытые люки'));
    expect(hits.map((h) => [h.payload, h.start, h.end])).toEqual([
      ['pothole', 0, 1],
      ['pothole', 2, 3],
      ['dear', 3, 4],
      ['manhole', 7, 9],
    ]);
  });

  it('a phrase needs its words in a row', () => {
    expect(m.match(text('открытый канализационный люк'))).toEqual([]);
  });

  it('prefixes of three letters and of more match the same words, in the order they were added', () => {
    const p = new TermMatcher<string>();
    for (const [t, v] of [['выбоинами', 'stem'], ['выбоин*', 'long'], ['выб*', 'short'], ['выбоинам*', 'longer']] as const) p.add(t, v);
    expect(p.match(text('выбоинами')).map((h) => h.payload)).toEqual(['stem', 'long', 'short', 'longer']);
    expect(p.match(text('выб')).map((h) => h.payload)).toEqual(['short']);
    expect(p.match(text('вы')).map((h) => h.payload)).toEqual([]);
  });

  it('refuses a broken term at compile time', () => {
    expect(() => new TermMatcher<number>().add('ям*', 1)).toThrow(/at least 3 letters/);
  });
});
