import { describe, expect, it } from 'vitest';
import { analyzeForMatch, matchesText, positiveConjunctions } from '../../../../src/core/search/text-match.js';
import { parseTextQuery } from '../../../../src/core/search/text-query.js';

const q = (s: string) => {
  const node = parseTextQuery(s);
  if (!node) throw new Error('empty query');
  return node;
};
const m = (query: string, text: string) => matchesText(q(query), analyzeForMatch(text));

describe('matchesText', () => {
  it('matches Russian word forms by stem, case and ё-insensitive', () => {
    expect(m('яма', 'Огромные ЯМЫ на Ленина')).toBe(true);
    expect(m('ёлка', 'Елки во дворе не убрали')).toBe(true);
    expect(m('яма', 'Дорогу отремонтировали')).toBe(false);
  });

  it('phrases need the words in order and next to each other', () => {
    expect(m('"горячей воды"', 'Нет горячей воды третий день')).toBe(true);
    expect(m('"горячей воды"', 'Воды нет, горячей тоже')).toBe(false);
  });

  it('AND, OR, NOT and parentheses', () => {
    const query = '(яма ИЛИ выбоина) И дорога -ремонт';
    expect(m(query, 'На дороге огромная яма')).toBe(true);
    expect(m(query, 'Выбоины на дорогах')).toBe(true);
    expect(m(query, 'Яма на дороге, ремонт обещают')).toBe(false);
    expect(m(query, 'Яма во дворе')).toBe(false);
  });
});

describe('positiveConjunctions', () => {
  it('expands OR into one platform query per conjunction, NOTs left to the local check', () => {
    expect(positiveConjunctions(q('(яма OR выбоина) AND дорога -ремонт'))).toEqual([
      { words: ['яма', 'дорога'], phrases: [] },
      { words: ['выбоина', 'дорога'], phrases: [] },
    ]);
    expect(positiveConjunctions(q('"горячей воды" OR отопление'))).toEqual([
      { words: [], phrases: [['горячей', 'воды']] },
      { words: ['отопление'], phrases: [] },
    ]);
  });

  it('refuses an expansion that would need more than 16 platform queries', () => {
    expect(positiveConjunctions(q('(a OR b OR c) (d OR e OR f) (g OR h)'))).toBeUndefined();
  });
});
