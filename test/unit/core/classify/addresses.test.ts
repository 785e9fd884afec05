import { describe, expect, it } from 'vitest';
import { houseNumbers } from '../../../../src/core/classify/addresses.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';

const houses = (s: string, streetEnds: number[] = []) => houseNumbers(tokenize(normalizeText(s)), streetEnds);

describe('houseNumbers', () => {
  it.each([
    ['Когда будут убирать снег во дворе бульвар Энтузиастов, 66?', ['66']],
    ['Яма у дома 5 по Садовой', ['5']],
    ['ул. Садовая, д. 12а — нет воды', ['12а']],
    ['пр-т Мира 7б, подъезд 3', ['7б']],
    ['Переулок Тихий 12к2 и улица Речная 4', ['12к2', '4']],
    ['На улице Ленина 5 и на улице Ленина 5 опять яма', ['5']],
  ])('%s → %j', (text, expected) => {
    expect(houses(text)).toEqual(expected);
  });

  it.each([
    'Третий день нет воды, 5 подъездов без отопления',
    'Детская площадка 2 года не ремонтировалась',
    'Звонили 10 раз, никто не приехал',
    'На улице холодно, автобус 12 не пришёл',
    'Нет дома воды уже 3 дня',
  ])('no house in "%s"', (text) => {
    expect(houses(text)).toEqual([]);
  });

  it('a number right after a street the gazetteer knows counts, anywhere else it does not', () => {
    // "на садовой" ends at token 3 (яма, на, садовой | 5).
    expect(houses('Яма на Садовой 5', [3])).toEqual(['5']);
    expect(houses('Яма на Садовой 5')).toEqual([]);
  });
});
