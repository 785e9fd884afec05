/**
 * `npm run -s gazetteer:import -- --objects AS_ADDR_OBJ_….XML --hierarchy AS_ADM_HIERARCHY_….XML > gazetteer.json`:
 * a gazetteer (rules/gazetteer.json's format) from a region's folder of the federal address register's
 * open export (ГАР/ФИАС, XML). Territories with their name forms, streets under their place.
 * `npm run -s gazetteer:import -- --osm region.osm > gazetteer.json`: the same from an OpenStreetMap
 * extract in OSM XML (boundaries, settlements, named streets).
 */
import { argv } from 'node:process';
import { isOtklikError } from '../core/errors.js';
import { gazetteerFromGar } from '../core/classify/gazetteer-gar.js';
import { gazetteerSchema } from '../core/classify/gazetteer.js';
import { readGarHierarchy, readGarObjects } from '../adapters/files/gar-reader.js';
import { gazetteerFromOsm } from '../core/classify/gazetteer-osm.js';
import { readOsmExtract } from '../adapters/files/osm-reader.js';

function arg(name: string): string {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? argv[i + 1] : undefined;
  if (!v) throw new Error(`--${name} FILE is required (the region's ${name === 'objects' ? 'AS_ADDR_OBJ_*.XML' : 'AS_ADM_HIERARCHY_*.XML'}), or --osm FILE (an OpenStreetMap extract, OSM XML)`);
  return v;
}

async function main(): Promise<void> {
  const osm = argv.indexOf('--osm') >= 0 ? argv[argv.indexOf('--osm') + 1] : undefined;
  if (osm) {
    const extract = await readOsmExtract(osm);
    const built = gazetteerFromOsm(extract.boundaries, extract.places, extract.streets);
    gazetteerSchema.parse(built.gazetteer);
    process.stdout.write(`${JSON.stringify(built.gazetteer, null, 1)}\n`);
    process.stderr.write(`gazetteer: ${built.territories} territories, ${built.streets} streets (${built.skippedStreets} farther than 3 km from every settlement left out)\n`);
    return;
  }
  const [objects, links] = await Promise.all([readGarObjects(arg('objects')), readGarHierarchy(arg('hierarchy'))]);
  const built = gazetteerFromGar(objects, links);
  // What the engine will load must pass its own schema.
  gazetteerSchema.parse(built.gazetteer);
  process.stdout.write(`${JSON.stringify(built.gazetteer, null, 1)}\n`);
  process.stderr.write(`gazetteer: ${built.territories} territories, ${built.streets} streets\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`gazetteer:import: ${isOtklikError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
