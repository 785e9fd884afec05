import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readOsmExtract } from '../../../../src/adapters/files/osm-reader.js';
import { assembleRings, gazetteerFromOsm } from '../../../../src/core/classify/gazetteer-osm.js';
import { TerritoryLocator, gazetteerSchema } from '../../../../src/core/classify/gazetteer.js';
import { withStems } from '../../../../src/core/classify/terms.js';
import { normalizeText, tokenize } from '../../../../src/core/classify/text.js';
import { projectRoot } from '../../../../src/paths.js';

// test/fixtures/osm/enskaya-oblast.osm: a fictional region written for the test in OSM XML (the OSM
// wiki's format: nodes, then ways, then relations), with administrative boundaries (admin_level 4,
// 6, 9), settlements as place nodes, named highways, and things that are neither (a school, a river).
const sample = join(projectRoot, 'test/fixtures/osm/enskaya-oblast.osm');

describe('a gazetteer from an OpenStreetMap extract (OSM XML)', () => {
  it('reads boundaries, settlements and streets, nests them by where they lie, and the engine uses it', async () => {
    const extract = await readOsmExtract(sample);
    expect(extract.boundaries.map((b) => [b.name, b.adminLevel, b.rings.length])).toEqual([
      ['Энская область', 4, 1],
      ['Заречный район', 6, 1],
      ['городской округ Энск', 6, 1],
      ['Северный округ', 9, 1],
    ]);
    expect(extract.places.map((p) => p.name)).toEqual(['Энск', 'Берёзовка', 'Ивановка', 'Ивановка']);
    expect(extract.streets.map((s) => s.name)).toEqual(['улица Ленина', 'Садовая улица', 'проспект Мира', 'улица Заброшенная', 'улица Победы']);

    const built = gazetteerFromOsm(extract.boundaries, extract.places, extract.streets);
    // The track 38 km from every settlement is left out rather than guessed.
    expect(built).toMatchObject({ streets: 4, skippedStreets: 1 });
    const g = gazetteerSchema.parse(built.gazetteer);
    const tree = (nodes: typeof g.territories): unknown[] => nodes.map((n) => (n.parts.length > 0 ? { [n.id]: tree(n.parts) } : n.id));
    expect(tree(g.territories)).toEqual([
      {
        'Энская область': [
          { 'Заречный район': ['Берёзовка', 'Ивановка (Заречный район)'] },
          // The city's place node is its boundary: one territory, not two.
          { 'городской округ Энск': ['Северный округ'] },
          'Ивановка (Энская область)',
        ],
      },
    ]);
    const locator = new TerritoryLocator(g);
    const where = (text: string, source?: string) => locator.locate(withStems(tokenize(normalizeText(text))), source).territory;
    expect(where('В Энске опять не вывезли мусор')).toBe('городской округ Энск');
    expect(where('Курская и Энская область: снегопад')).toBe('Энская область');
    expect(where('Заречный район: дороги не чистят')).toBe('Заречный район');
    expect(where('В Берёзовке не горят фонари')).toBe('Берёзовка');
    // Streets count inside the source's territory: the city's street in the city, the district's own in it.
    expect(where('На улице Ленина яма во всю дорогу', 'городской округ Энск')).toBe('городской округ Энск');
    expect(where('на проспекте Мира не горят фонари', 'городской округ Энск')).toBe('Северный округ');
    expect(where('на Садовой нет света', 'Заречный район')).toBe('Берёзовка');
  });

  it('a settlement is merged only with a boundary of its own name, not one whose name merely contains it', () => {
    const square = (w: number, s: number, e: number, n: number): [number, number][] => [[w, s], [e, s], [e, n], [w, n], [w, s]];
    const built = gazetteerFromOsm(
      [
        { id: '1', name: 'Ивановский район', adminLevel: 6, rings: [square(30, 50, 31, 51)] },
        { id: '2', name: 'город Льгов', adminLevel: 6, rings: [square(32, 50, 33, 51)] },
      ],
      [
        { id: '10', name: 'Ива', place: 'village', at: [30.5, 50.5] },
        { id: '11', name: 'Льгов', place: 'town', at: [32.5, 50.5] },
        // Two of one name in one district: still two territories, each its own id.
        { id: '12', name: 'Ива', place: 'hamlet', at: [30.2, 50.2] },
      ],
      [],
    );
    expect(built.gazetteer.territories.map((t) => [t.id, t.parts.map((p) => p.id)])).toEqual([
      ['Ивановский район', ['Ива (Ивановский район)', 'Ива (Ивановский район) 2']],
      ['город Льгов', []],
    ]);
    expect(built.territories).toBe(4);
    expect(() => gazetteerSchema.parse(built.gazetteer)).not.toThrow();
  });

  it('joins a border drawn as several ways, in any order and direction, into rings; an open border makes none', () => {
    expect(assembleRings([['1', '2', '3'], ['1', '4', '3']])).toEqual([['1', '2', '3', '4', '1']]);
    expect(assembleRings([['5', '6'], ['6', '7'], ['7', '5']])).toEqual([['5', '6', '7', '5']]);
    expect(assembleRings([['1', '2', '3']])).toEqual([]);
  });

  it('a file that is not OSM XML is refused with the file named', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'otklik-osm-')), 'region.osm');
    writeFileSync(bad, '<osm><node id="1" lat="1" </osm>');
    await expect(readOsmExtract(bad)).rejects.toMatchObject({ code: 'RULES_INVALID', message: expect.stringContaining(bad) });
  });
});
