import { describe, expect, it } from 'vitest';
import { gazetteerSchema, TerritoryLocator } from '../../../../src/core/classify/gazetteer.js';
import { withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';

const text = (s: string) => withStems(tokenize(normalizeText(s)));
const locator = new TerritoryLocator(
  gazetteerSchema.parse({
    version: 1,
    territories: [
      {
        id: 'Область',
        names: ['энская область'],
        parts: [
          { id: 'Энск', names: ['=энск', '=энске'], parts: [{ id: 'Энск, Север', names: ['северный район'], streets: ['улица садовая', 'на садовой'] }], streets: ['улица ленина'] },
          { id: 'Заводск', names: ['=заводск', '=заводске'], streets: ['улица ленина'] },
        ],
      },
    ],
  }),
);

describe('TerritoryLocator', () => {
  it('keeps the source territory when the text names no place', () => {
    expect(locator.locate(text('Яма у дома'), 'Энск')).toMatchObject({ territory: 'Энск', explain: "territory Энск: the source's" });
    expect(locator.locate(text('Яма у дома'), undefined).territory).toBeUndefined();
  });

  it('refines it with a district or a street inside it', () => {
    expect(locator.locate(text('Яма на Садовой'), 'Энск')).toMatchObject({ territory: 'Энск, Север' });
    expect(locator.locate(text('В Северном районе нет света'), 'Область').territory).toBe('Энск, Север');
    expect(locator.locate(text('Яма на Садовой'), 'Энск').explain).toMatch(/refines the source's Энск/);
  });

  it('overrides it with a place elsewhere', () => {
    expect(locator.locate(text('А в Заводске опять нет воды'), 'Энск')).toMatchObject({ territory: 'Заводск' });
    expect(locator.locate(text('А в Заводске опять нет воды'), 'Энск').explain).toMatch(/overrides/);
  });

  it('resolves a street only inside the source: every city has its улица Ленина', () => {
    expect(locator.locate(text('Яма на улице Ленина'), 'Заводск').territory).toBe('Заводск');
    expect(locator.locate(text('Яма на улице Ленина'), 'Энск').territory).toBe('Энск');
  });

  it('tells where the streets that count end, for the house numbers after them', () => {
    expect(locator.locate(text('Яма на Садовой 5, и на улице Ленина'), 'Энск').streetEnds.sort()).toEqual([3, 8]);
    expect(locator.locate(text('Яма на Садовой 5'), 'Заводск').streetEnds).toEqual([]);
  });

  it('a wider place named in the text does not widen the source', () => {
    expect(locator.locate(text('Энская область, Энск, Северный район: яма'), 'Энск, Север').territory).toBe('Энск, Север');
  });

  it('knows which territory contains which', () => {
    expect(locator.contains('Область', 'Энск, Север')).toBe(true);
    expect(locator.contains('Заводск', 'Энск, Север')).toBe(false);
    expect(locator.contains('X', 'X, район')).toBe(true);
  });
});
