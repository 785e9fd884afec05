import type { Gazetteer } from './gazetteer.js';

/**
 * A gazetteer from the federal address register (ГАР, the FIAS open export): its address objects
 * (AS_ADDR_OBJ: OBJECTID, NAME, TYPENAME, LEVEL, ISACTUAL, ISACTIVE) and the administrative hierarchy
 * (AS_ADM_HIERARCHY: OBJECTID, PARENTOBJID, ISACTIVE). Territories are the levels above streets
 * (region, districts, settlements, cities, localities); streets (level 8) become the street terms of
 * the place they are in. Pure: the reading of the files is the adapter's.
 */
export interface GarObject {
  id: string;
  name: string;
  typeName: string;
  level: number;
  active: boolean;
}

export interface GarLink {
  id: string;
  parentId: string;
  active: boolean;
}

/** ГАР levels (OBJECT_LEVELS): 1 region, 2 administrative district, 3 municipal district, 4 settlement, 5 city, 6 locality, 7 planning element, 8 street. */
const STREET_LEVEL = 8;
const PLANNING_LEVEL = 7;

/** How people write a place's type before its name. */
const TYPE_PREFIX: Record<string, string> = { г: 'г.', с: 'с.', д: 'д.', п: 'пос.', пгт: 'пгт', рп: 'рп', х: 'х.', ст: 'ст.' };
/** A street type, spelled out and abbreviated, as the gazetteer's street terms are written. */
const STREET_TYPES: Record<string, string[]> = {
  ул: ['улица', 'ул'],
  пер: ['переулок', 'пер'],
  'пр-кт': ['проспект', 'пр'],
  пр: ['проезд'],
  б_р: ['бульвар'],
  'б-р': ['бульвар', 'б-р'],
  ш: ['шоссе'],
  пл: ['площадь', 'пл'],
  наб: ['набережная', 'наб'],
  мкр: ['микрорайон', 'мкр'],
};

const fold = (s: string) => s.toLowerCase().replaceAll('ё', 'е');

/**
 * A place's name in the forms a post uses, as exact words: a stem would take «курская» for «Курск».
 * Masculine names ending in a consonant and feminine ones in -а/-я are declined; others stay as they are.
 */
export function placeForms(name: string): string[] {
  const n = fold(name);
  if (n.includes(' ') || n.includes('-')) return [n];
  if (/[бвгджзклмнпрстфхцчшщ]$/u.test(n)) return [n, `${n}е`, `${n}а`, `${n}у`, `${n}ом`];
  if (/ка$/u.test(n)) return [n, `${n.slice(0, -1)}и`, `${n.slice(0, -1)}е`, `${n.slice(0, -1)}у`, `${n.slice(0, -1)}ой`];
  if (/[ая]$/u.test(n)) return [n, `${n.slice(0, -1)}ы`, `${n.slice(0, -1)}е`, `${n.slice(0, -1)}у`, `${n.slice(0, -1)}ой`];
  return [n];
}

function territoryId(o: GarObject, parent: string | undefined): string {
  if (o.level === 1) return `${o.name} ${o.typeName === 'обл' ? 'область' : o.typeName}`.trim();
  if (o.level === 2 || o.level === 3) return `${o.name} ${o.typeName === 'р-н' ? 'район' : o.typeName}`;
  const prefix = TYPE_PREFIX[o.typeName] ?? `${o.typeName}.`;
  // A planning element (микрорайон) is named under its city, as districts are in the shipped gazetteer.
  return o.level === PLANNING_LEVEL && parent ? `${parent}, ${o.typeName} ${o.name}` : `${prefix} ${o.name}`;
}

/** A region's name as a term: «курск* област*» takes курская, курской, курскую область. */
export function regionTerms(name: string): string[] {
  return [`${fold(name).slice(0, Math.max(3, fold(name).length - 2))}* област*`];
}

/** A district's name (the adjective of «Льговский район») as terms, spelled out and abbreviated. */
export function districtTerms(name: string): string[] {
  const stem = fold(name).replace(/(ий|ый|ой)$/u, '');
  return [`${stem}* район*`, `${stem}* р-н*`];
}

function placeTerms(o: GarObject): string[] {
  if (o.level === 1) return regionTerms(o.name);
  if (o.level === 2 || o.level === 3) return districtTerms(o.name);
  return placeForms(o.name).map((f) => `=${f}`);
}

/** A street's terms from its name and its ГАР type (ул, пер, пр-кт …). */
export function streetTerms(streetName: string, typeName: string): string[] {
  const name = fold(streetName);
  const types = STREET_TYPES[typeName] ?? [typeName];
  // «ул Садовая», «улица Садовая», and without a marker word «на Садовой» / «Перекальского»: a surname
  // in the genitive is a whole street name on its own.
  const out = types.map((t) => `${t} ${name}`);
  if (/(ого|его)$/u.test(name) || name.includes(' ')) out.push(name);
  if (/ая$/u.test(name)) out.push(`на ${name.slice(0, -2)}ой`);
  return [...new Set(out)];
}

interface Node {
  id: string;
  names: string[];
  streets: string[];
  parts: Node[];
}

/** Builds the gazetteer: active, actual objects only; a street known in two places stays in both (each place's own). */
export function gazetteerFromGar(objects: readonly GarObject[], links: readonly GarLink[]): { gazetteer: Gazetteer; territories: number; streets: number } {
  const byId = new Map(objects.filter((o) => o.active).map((o) => [o.id, o]));
  const parentOf = new Map(links.filter((l) => l.active).map((l) => [l.id, l.parentId]));
  const nodes = new Map<string, Node>();
  const roots: Node[] = [];
  let streets = 0;
  // Parents before children: by level, then file order.
  const places = [...byId.values()].filter((o) => o.level < STREET_LEVEL).sort((a, b) => a.level - b.level);
  for (const o of places) {
    const parent = nodes.get(parentOf.get(o.id) ?? '');
    const node: Node = { id: territoryId(o, parent?.id), names: placeTerms(o), streets: [], parts: [] };
    nodes.set(o.id, node);
    if (parent) parent.parts.push(node);
    else roots.push(node);
  }
  for (const s of byId.values()) {
    if (s.level !== STREET_LEVEL) continue;
    const place = nodes.get(parentOf.get(s.id) ?? '');
    if (!place) continue;
    place.streets.push(...streetTerms(s.name, s.typeName));
    streets++;
  }
  return { gazetteer: { version: 1, territories: roots }, territories: nodes.size, streets };
}
