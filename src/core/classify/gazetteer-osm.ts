import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Gazetteer } from './gazetteer.js';
import { districtTerms, placeForms, regionTerms, streetTerms } from './gazetteer-gar.js';

/**
 * A gazetteer from an OpenStreetMap extract, the alternative to the federal address register where
 * a region has no ГАР export at hand. What OSM says (wiki: Key:boundary, Key:admin_level for Russia,
 * Key:place, Key:highway): administrative boundaries with their `admin_level` (4 the region, 5–6 its
 * districts and city okrugs, 8–9 settlements and a city's districts), settlements as `place` nodes
 * (most villages have no boundary of their own), and named streets (`highway` ways). OSM has no
 * parent links: a boundary lies in the deepest boundary around it, a settlement likewise (one whose
 * boundary carries its name is that boundary), and a street belongs to the settlement whose
 * boundary holds it or, failing one, the nearest settlement within STREET_REACH_KM. Pure: reading
 * the extract is the adapter's.
 */
export type LonLat = [number, number];

export interface OsmBoundary {
  id: string;
  name: string;
  adminLevel: number;
  /** Closed outer rings (first point = last point); several for a territory in parts. */
  rings: LonLat[][];
}

export interface OsmPlace {
  id: string;
  name: string;
  /** city, town, village, hamlet, suburb … */
  place: string;
  at: LonLat;
}

export interface OsmStreet {
  name: string;
  points: LonLat[];
}

/** A street farther than this from every settlement is left out rather than guessed. */
export const STREET_REACH_KM = 3;

const SETTLEMENTS = new Set(['city', 'town', 'village', 'hamlet', 'suburb', 'quarter', 'neighbourhood', 'isolated_dwelling']);
const TOWNS = new Set(['city', 'town']);

/** The street type words OSM names carry («улица Ленина», «Садовая улица»), as the ГАР type they match. */
const STREET_TYPE_WORDS: Record<string, string> = {
  улица: 'ул',
  переулок: 'пер',
  проспект: 'пр-кт',
  проезд: 'пр',
  бульвар: 'б-р',
  шоссе: 'ш',
  площадь: 'пл',
  набережная: 'наб',
  микрорайон: 'мкр',
  тупик: 'тупик',
};

interface Node {
  id: string;
  names: string[];
  /** Street terms, each once (a city has thousands). */
  streets: Set<string>;
  parts: Node[];
  level: number;
  polygons: Polygon[];
  /** The polygons' bounding box [west, south, east, north]: most points are ruled out by it alone. */
  box: [number, number, number, number];
  /** The settlement's point, for streets outside every boundary. */
  at?: LonLat;
  settlement: boolean;
}

const fold = (s: string) => s.toLowerCase().replaceAll('ё', 'е');

/** A boundary's place name without the kind of unit in front: «городской округ Курск» → «Курск». */
const coreName = (name: string) => name.trim().replace(/^(городской округ|город|муниципальный округ|сельсовет|поселок|посёлок)\s+/iu, '');

function boundaryTerms(name: string, level: number): string[] {
  const n = fold(name);
  if (level <= 4 && n.endsWith(' область')) return regionTerms(name.slice(0, -' область'.length));
  if (n.endsWith(' район')) return districtTerms(name.slice(0, -' район'.length));
  // «городской округ Курск», «город Льгов», «Центральный округ»: the place's own name in its forms.
  const core = coreName(name);
  return core.includes(' ') ? [fold(core)] : placeForms(core).map((f) => `=${f}`);
}

function splitStreetName(name: string): { bare: string; type: string } {
  const words = name.trim().split(/\s+/u);
  const first = fold(words[0] ?? '');
  const last = fold(words[words.length - 1] ?? '');
  if (words.length > 1 && STREET_TYPE_WORDS[first]) return { bare: words.slice(1).join(' '), type: STREET_TYPE_WORDS[first] };
  if (words.length > 1 && STREET_TYPE_WORDS[last]) return { bare: words.slice(0, -1).join(' '), type: STREET_TYPE_WORDS[last] };
  return { bare: name.trim(), type: 'ул' };
}

type Polygon = Extract<Parameters<typeof booleanPointInPolygon>[1], { type: 'Polygon' }>;

const toPolygons = (rings: LonLat[][]): Polygon[] => rings.filter((r) => r.length >= 4).map((r) => ({ type: 'Polygon', coordinates: [r] }));

function boxOf(rings: readonly LonLat[][]): Node['box'] {
  const box: Node['box'] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return box;
}

const NO_BOX: Node['box'] = [Infinity, Infinity, -Infinity, -Infinity];

const inside = (p: LonLat, n: Node) => p[0] >= n.box[0] && p[1] >= n.box[1] && p[0] <= n.box[2] && p[1] <= n.box[3] && n.polygons.some((poly) => booleanPointInPolygon(p, poly));

/** A point inside a ring: its vertices' mean (the boundaries OSM draws for places are near convex). */
function representative(rings: LonLat[][]): LonLat | undefined {
  const ring = rings[0];
  if (!ring || ring.length === 0) return undefined;
  let x = 0;
  let y = 0;
  for (const [lon, lat] of ring) {
    x += lon;
    y += lat;
  }
  return [x / ring.length, y / ring.length];
}

function km(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad);
  return 6371 * Math.sqrt(dLat * dLat + dLon * dLon);
}

/** The deepest node (highest level) among `nodes` whose polygons hold the point. */
function deepestHolding(p: LonLat, nodes: readonly Node[], below = Infinity): Node | undefined {
  let best: Node | undefined;
  for (const n of nodes) if (n.level < below && (!best || n.level > best.level) && inside(p, n)) best = n;
  return best;
}

export function gazetteerFromOsm(boundaries: readonly OsmBoundary[], places: readonly OsmPlace[], streets: readonly OsmStreet[]): { gazetteer: Gazetteer; territories: number; streets: number; skippedStreets: number } {
  const areas: Node[] = boundaries
    .filter((b) => b.name.trim() !== '' && b.rings.length > 0)
    .sort((a, b) => a.adminLevel - b.adminLevel)
    .map((b) => ({ id: b.name.trim(), names: boundaryTerms(b.name, b.adminLevel), streets: new Set(), parts: [], level: b.adminLevel, polygons: toPolygons(b.rings), box: boxOf(b.rings), settlement: b.adminLevel >= 8 }));
  const roots: Node[] = [];
  const parentOf = new Map<Node, Node>();
  for (const [i, a] of areas.entries()) {
    const at = representative(a.polygons.map((p) => p.coordinates[0] as LonLat[]));
    const parent = at ? deepestHolding(at, areas.slice(0, i), a.level) : undefined;
    if (parent) {
      parent.parts.push(a);
      parentOf.set(a, parent);
    } else roots.push(a);
  }
  const settlements: Node[] = [];
  let pointPlaces = 0;
  for (const p of places) {
    if (!SETTLEMENTS.has(p.place) || p.name.trim() === '') continue;
    const around = deepestHolding(p.at, areas);
    // A town drawn as a boundary of its own name is that boundary: its point only places its streets.
    if (around && fold(coreName(around.id)) === fold(p.name.trim())) {
      around.at = p.at;
      around.settlement = true;
      settlements.push(around);
      continue;
    }
    const node: Node = { id: `${TOWNS.has(p.place) ? 'г. ' : ''}${p.name.trim()}`, names: placeForms(p.name).map((f) => `=${f}`), streets: new Set(), parts: [], level: Infinity, polygons: [], box: NO_BOX, at: p.at, settlement: true };
    pointPlaces++;
    if (around) {
      around.parts.push(node);
      parentOf.set(node, around);
    } else roots.push(node);
    settlements.push(node);
  }
  // Territory ids must be unique: a second «Ивановка» is named with the territory it lies in.
  const seen = new Map<string, number>();
  const walk = (n: Node) => {
    seen.set(n.id, (seen.get(n.id) ?? 0) + 1);
    n.parts.forEach(walk);
  };
  roots.forEach(walk);
  const taken = new Set(seen.keys());
  for (const n of settlements) {
    if ((seen.get(n.id) ?? 0) < 2) continue;
    // Two of one name in one district too: numbered after the first.
    const qualified = `${n.id} (${parentOf.get(n)?.id ?? 'вне границ'})`;
    let id = qualified;
    for (let k = 2; taken.has(id); k++) id = `${qualified} ${k}`;
    taken.add(id);
    n.id = id;
  }

  let placed = 0;
  let skipped = 0;
  const holders = areas.filter((a) => a.settlement);
  for (const s of streets) {
    const mid = s.points[Math.floor(s.points.length / 2)];
    if (!mid || s.name.trim() === '') continue;
    let home = deepestHolding(mid, holders);
    if (!home) {
      let nearest: { n: Node; d: number } | undefined;
      for (const n of settlements) {
        if (!n.at) continue;
        const d = km(mid, n.at);
        if (d <= STREET_REACH_KM && (!nearest || d < nearest.d)) nearest = { n, d };
      }
      home = nearest?.n;
    }
    if (!home) {
      skipped++;
      continue;
    }
    const { bare, type } = splitStreetName(s.name);
    for (const t of streetTerms(bare, type)) home.streets.add(t);
    placed++;
  }
  const out = (n: Node): Gazetteer['territories'][number] => ({ id: n.id, names: n.names, streets: [...n.streets], parts: n.parts.map(out) });
  return { gazetteer: { version: 1, territories: roots.map(out) }, territories: areas.length + pointPlaces, streets: placed, skippedStreets: skipped };
}

/**
 * Closed rings from a boundary's outer ways, each a list of node ids: OSM splits a border into ways
 * in any order and direction, joined where they share an end node. Ways that close no ring (an
 * extract cut at the region's edge) are dropped. osmtogeojson does this over a whole document in
 * memory; a region's extract is read as a stream here, so the joining is done on the ids alone.
 */
export function assembleRings(ways: readonly (readonly string[])[]): string[][] {
  const open = ways.filter((w) => w.length >= 2).map((w) => [...w]);
  const rings: string[][] = [];
  while (open.length > 0) {
    const ring = open.shift() as string[];
    for (;;) {
      if (ring[0] === ring[ring.length - 1] && ring.length >= 4) {
        rings.push(ring);
        break;
      }
      const end = ring[ring.length - 1];
      const i = open.findIndex((w) => w[0] === end || w[w.length - 1] === end);
      if (i < 0) break;
      const next = open.splice(i, 1)[0] as string[];
      ring.push(...(next[0] === end ? next : [...next].reverse()).slice(1));
    }
  }
  return rings;
}
