import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readGarHierarchy, readGarObjects } from '../../../../src/adapters/files/gar-reader.js';
import { gazetteerFromGar, placeForms } from '../../../../src/core/classify/gazetteer-gar.js';
import { TerritoryLocator, gazetteerSchema } from '../../../../src/core/classify/gazetteer.js';
import { withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';
import { projectRoot } from '../../../../src/paths.js';

const dir = join(projectRoot, 'test/fixtures/gar');

describe('a gazetteer from the federal address register (ГАР XML)', () => {
  it('reads the export, builds territories with their name forms and streets under their place, and the engine uses it', async () => {
    const objects = await readGarObjects(join(dir, 'AS_ADDR_OBJ_20261201_sample.XML'));
    const links = await readGarHierarchy(join(dir, 'AS_ADM_HIERARCHY_20261201_sample.XML'));
    expect(objects).toHaveLength(9);
    const built = gazetteerFromGar(objects, links);
    // The street no longer in force (ISACTUAL=0) is left out.
    expect(built).toMatchObject({ territories: 4, streets: 4 });
    const g = gazetteerSchema.parse(built.gazetteer);
    const locator = new TerritoryLocator(g);
    const where = (text: string, source?: string) => locator.locate(withStems(tokenize(normalizeText(text))), source).territory;
    expect(locator.contains('Энская область', 'с. Берёзовка')).toBe(true);
    expect(where('В Энске опять не вывезли мусор')).toBe('г. Энск');
    // A street without a marker word, in the place the source is about.
    expect(where('На Перекальского яма во всю дорогу', 'г. Энск')).toBe('г. Энск');
    // The same street name in two places: the source's territory decides.
    expect(where('на Садовой нет света', 'с. Берёзовка')).toBe('с. Берёзовка');
    expect(where('Заводской район: дороги не чистят')).toBe('Заводской район');
  });

  it('names are matched as exact forms: «Курск» is not «курская»', () => {
    expect(placeForms('Курск')).toEqual(['курск', 'курске', 'курска', 'курску', 'курском']);
    expect(placeForms('Берёзовка')).toEqual(['березовка', 'березовки', 'березовке', 'березовку', 'березовкой']);
  });

  it('a file that is not XML is refused with the file named', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'otklik-gar-')), 'AS_ADDR_OBJ.XML');
    writeFileSync(bad, '<ADDRESSOBJECTS><OBJECT NAME="x" </ADDRESSOBJECTS>');
    await expect(readGarObjects(bad)).rejects.toMatchObject({ code: 'RULES_INVALID', message: expect.stringContaining(bad) });
  });
});
