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

  it('a street in several places, with nothing to say which, stays ambiguous: the place that holds them all, and both candidates', () => {
    for (const source of [undefined, 'Область']) {
      const r = locator.locate(text('Яма на улице Ленина у дома 4'), source);
      expect(r.territory, source).toBe('Область');
      expect(r.candidates, source).toEqual(['Энск', 'Заводск']);
      expect(r.explain).toMatch(/"улице ленина" is a street in Энск and in Заводск, and the text does not say which/);
    }
    expect(locator.locate(text('Энская область, улица Ленина, яма'), undefined).candidates).toEqual(['Энск', 'Заводск']);
    // A place named settles it; so does a source inside one of them.
    expect(locator.locate(text('Яма на улице Ленина в Заводске'), undefined)).toMatchObject({ territory: 'Заводск' });
    expect(locator.locate(text('Яма на улице Ленина в Заводске'), undefined).candidates).toBeUndefined();
    expect(locator.locate(text('Яма на улице Ленина'), 'Энск').candidates).toBeUndefined();
    // One street in one place is no ambiguity, nor a street and its own district's.
    expect(locator.locate(text('Яма на Садовой'), undefined)).toMatchObject({ territory: 'Энск, Север' });
    expect(locator.locate(text('Яма на Садовой'), undefined).candidates).toBeUndefined();
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
