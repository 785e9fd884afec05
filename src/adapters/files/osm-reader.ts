import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { streamXml } from './xml-stream.js';
import { assembleRings, type LonLat, type OsmBoundary, type OsmPlace, type OsmStreet } from '../../core/classify/gazetteer-osm.js';

/** One OSM element as the reader sees it: its attributes, its tags, and its node refs or members. */
interface Element {
  name: 'node' | 'way' | 'relation';
  attrs: Record<string, string>;
  tags: Record<string, string>;
  refs: string[];
  members: { type: string; ref: string; role: string }[];
}

/**
 * Streams an OSM XML file (the format of the OSM wiki's "OSM XML": nodes, then ways, then
 * relations; Geofabrik's .osm.bz2 extracts unpacked, or `osmium cat region.osm.pbf -o region.osm`)
 * and hands each element of the wanted kinds to `onElement`. A region runs to gigabytes: nothing is
 * read whole.
 */
async function eachElement(path: string, kinds: ReadonlySet<string>, onElement: (e: Element) => void): Promise<void> {
  const parser = new SaxesParser();
  let current: Element | undefined;
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attr = (k: string) => String(tag.attributes[k] ?? '');
    if (tag.name === 'node' || tag.name === 'way' || tag.name === 'relation') {
      current = kinds.has(tag.name) ? { name: tag.name, attrs: { id: attr('id'), lat: attr('lat'), lon: attr('lon') }, tags: {}, refs: [], members: [] } : undefined;
    } else if (current && tag.name === 'tag') current.tags[attr('k')] = attr('v');
    else if (current && tag.name === 'nd') current.refs.push(attr('ref'));
    else if (current && tag.name === 'member') current.members.push({ type: attr('type'), ref: attr('ref'), role: attr('role') });
  });
  // saxes closes a self-closing element too (<node … />), so every element ends here.
  parser.on('closetag', (tag) => {
    if (current && tag.name === current.name) {
      onElement(current);
      current = undefined;
    }
  });
  await streamXml(path, parser, 'an OSM XML');
}

/**
 * What a gazetteer needs from an OSM extract, in three streamed passes (relations come last in the
 * file, and a node's place is only known once its ways and relations are): administrative
 * boundaries and settlement nodes; the ways of those boundaries and the named streets; then the
 * coordinates of just the nodes those ways use.
 */
export async function readOsmExtract(path: string): Promise<{ boundaries: OsmBoundary[]; places: OsmPlace[]; streets: OsmStreet[] }> {
  const relations: { id: string; name: string; level: number; outer: string[] }[] = [];
  const places: OsmPlace[] = [];
  await eachElement(path, new Set(['node', 'relation']), (e) => {
    if (e.name === 'node') {
      if (e.tags.place && e.tags.name) places.push({ id: e.attrs.id ?? '', name: e.tags.name, place: e.tags.place, at: [Number(e.attrs.lon), Number(e.attrs.lat)] });
      return;
    }
    const level = Number(e.tags.admin_level);
    if (e.tags.boundary !== 'administrative' || !e.tags.name || !Number.isFinite(level)) return;
    relations.push({ id: e.attrs.id ?? '', name: e.tags.name, level, outer: e.members.filter((m) => m.type === 'way' && (m.role === 'outer' || m.role === '')).map((m) => m.ref) });
  });
  const wanted = new Set(relations.flatMap((r) => r.outer));
  const wayNodes = new Map<string, string[]>();
  const named: { name: string; refs: string[] }[] = [];
  await eachElement(path, new Set(['way']), (e) => {
    const id = e.attrs.id ?? '';
    if (wanted.has(id)) wayNodes.set(id, e.refs);
    if (e.tags.highway && e.tags.name) named.push({ name: e.tags.name, refs: e.refs });
  });
  const needed = new Set<string>();
  for (const refs of wayNodes.values()) for (const r of refs) needed.add(r);
  for (const s of named) for (const r of s.refs) needed.add(r);
  const coords = new Map<string, LonLat>();
  await eachElement(path, new Set(['node']), (e) => {
    const id = e.attrs.id ?? '';
    if (needed.has(id)) coords.set(id, [Number(e.attrs.lon), Number(e.attrs.lat)]);
  });
  const located = (ids: readonly string[]) => ids.flatMap((id) => {
    const c = coords.get(id);
    return c ? [c] : [];
  });
  const boundaries = relations.map((r) => ({
    id: r.id,
    name: r.name,
    adminLevel: r.level,
    rings: assembleRings(r.outer.flatMap((w) => {
      const nodes = wayNodes.get(w);
      return nodes ? [nodes] : [];
    })).map(located),
  }));
  return { boundaries, places, streets: named.map((s) => ({ name: s.name, points: located(s.refs) })) };
}
