import { z } from 'zod';
import { TermMatcher, termSchema, type AnalyzedTokens } from './terms.js';

interface TerritoryNode {
  id: string;
  names: string[];
  streets: string[];
  parts: TerritoryNode[];
}

const nodeSchema: z.ZodType<TerritoryNode, z.ZodTypeDef, unknown> = z.lazy(() =>
  z
    .object({
      /** The territory as routing rules, bodies and search name it ("г. Энск, Северный район"). */
      id: z.string().min(1).max(200),
      /** How people write it, in the term syntax ("энск", "=энске", "северн* район"). */
      names: z.array(termSchema).default([]),
      /** Streets, squares, landmarks inside it; they only count for posts from this territory or around it. */
      streets: z.array(termSchema).default([]),
      parts: z.array(nodeSchema).default([]),
    })
    .strict(),
);

/** Place names and street names (`rules/gazetteer.json`) as a tree: region → city → district. */
export const gazetteerSchema = z
  .object({ version: z.literal(1), territories: z.array(nodeSchema).default([]) })
  .strict()
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    const walk = (n: TerritoryNode, path: (string | number)[]) => {
      if (seen.has(n.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, 'id'], message: `duplicate territory "${n.id}"` });
      seen.add(n.id);
      n.parts.forEach((p, i) => walk(p, [...path, 'parts', i]));
    };
    g.territories.forEach((t, i) => walk(t, ['territories', i]));
  });
export type Gazetteer = z.infer<typeof gazetteerSchema>;

interface Place {
  territory: number;
  street: boolean;
}

export interface TerritoryResult {
  territory?: string;
  explain: string;
  /** Token positions where the streets the text names (and that count for the source) end: house numbers follow them. */
  streetEnds: number[];
  /**
   * A street the text names lies in several places and nothing says which: each of them (the
   * territory is then the smallest one holding them all, or the source's).
   */
  candidates?: string[];
}

/**
 * Where a post is about: the source's territory unless the text names a place. A place inside the
 * source's territory refines it (district of the city); a place elsewhere in the gazetteer
 * overrides it (a city group writing about a village). Streets resolve only inside the source's
 * territory, because every city has its own улица Ленина.
 */
export class TerritoryLocator {
  private readonly matcher = new TermMatcher<Place>();
  private readonly ids: string[] = [];
  private readonly parent: number[] = [];
  private readonly depth: number[] = [];
  private readonly index = new Map<string, number>();

  constructor(gazetteer: Gazetteer) {
    const walk = (n: TerritoryNode, parent: number, depth: number) => {
      const i = this.ids.length;
      this.ids.push(n.id);
      this.parent.push(parent);
      this.depth.push(depth);
      this.index.set(n.id, i);
      n.names.forEach((t) => this.matcher.add(t, { territory: i, street: false }));
      n.streets.forEach((t) => this.matcher.add(t, { territory: i, street: true }));
      n.parts.forEach((p) => walk(p, i, depth + 1));
    };
    gazetteer.territories.forEach((t) => walk(t, -1, 0));
  }

  locate(text: AnalyzedTokens, sourceTerritory: string | undefined): TerritoryResult {
    const source = sourceTerritory === undefined ? -1 : (this.index.get(sourceTerritory) ?? -1);
    const streetEnds: number[] = [];
    const fallback: TerritoryResult = sourceTerritory === undefined ? { explain: 'territory: none configured for the source, none named', streetEnds } : { territory: sourceTerritory, explain: `territory ${sourceTerritory}: the source's`, streetEnds };
    if (this.ids.length === 0) return fallback;
    let best = -1;
    let bestWord = '';
    let bestTerm = '';
    const hits = this.matcher.match(text);
    // Places the text names: a street counts only inside one of them ("улица Ленина в Заводске").
    const named = hits.filter((h) => !h.payload.street).map((h) => h.payload.territory);
    const streets = new Map<number, string>();
    for (const h of hits) {
      const t = h.payload.territory;
      const inside = source < 0 || this.within(t, source) || this.within(source, t);
      // A street counts only where the source is (or has no territory): there is one in every city.
      if (h.payload.street && !inside) continue;
      if (h.payload.street && named.length > 0 && !named.some((n) => this.within(t, n))) continue;
      if (h.payload.street) {
        streetEnds.push(h.end);
        if (!streets.has(t)) streets.set(t, text.tokens.slice(h.start, h.end).join(' '));
      }
      if (best < 0 || this.better(t, best, source)) {
        best = t;
        bestWord = text.tokens.slice(h.start, h.end).join(' ');
        bestTerm = h.term.source;
      }
    }
    if (best < 0) return fallback;
    // A wider place named ("Энская область, улица Ленина") does not say which of its towns.
    const wider = named.every((n) => [...streets.keys()].every((p) => p !== n && this.within(p, n)));
    const ambiguous = wider ? this.ambiguousStreet(streets, source, sourceTerritory, streetEnds) : undefined;
    if (ambiguous) return ambiguous;
    const id = this.ids[best] as string;
    if (source >= 0 && this.within(source, best)) return { territory: sourceTerritory, explain: `territory ${sourceTerritory}: the source's ("${bestWord}" names ${id}, which contains it)`, streetEnds };
    const how = source < 0 ? (sourceTerritory === undefined ? 'named in the text' : `named in the text (the source's "${sourceTerritory}" is not in the gazetteer)`) : this.within(best, source) ? `refines the source's ${sourceTerritory}` : `overrides the source's ${sourceTerritory}`;
    return { territory: id, explain: `territory ${id}: "${bestWord}" ~ ${bestTerm}, ${how}`, streetEnds };
  }

  /**
   * Streets alone (no place named), in places none of which holds another: every town has its
   * улица Ленина, and picking one would be a guess. The territory is the smallest place holding
   * them all (or the source's, when that is as deep), and every candidate is kept.
   */
  private ambiguousStreet(streets: Map<number, string>, source: number, sourceTerritory: string | undefined, streetEnds: number[]): TerritoryResult | undefined {
    const places = [...streets.keys()];
    if (places.length < 2 || places.some((a) => places.some((b) => a !== b && this.within(a, b)))) return undefined;
    const common = this.commonAncestor(places);
    const territory = common >= 0 && (source < 0 || this.within(common, source)) ? this.ids[common] : sourceTerritory;
    const candidates = places.map((i) => this.ids[i] as string);
    const words = [...new Set(streets.values())].map((w) => `"${w}"`).join(', ');
    return {
      ...(territory === undefined ? {} : { territory }),
      explain: `territory ${territory ?? 'none'}: ${words} is a street in ${candidates.join(' and in ')}, and the text does not say which`,
      streetEnds,
      candidates,
    };
  }

  /** The deepest territory holding every one of `places`; −1 when they share none. */
  private commonAncestor(places: readonly number[]): number {
    for (let n = places[0] ?? -1; n >= 0; n = this.parent[n] as number) if (places.every((p) => this.within(p, n))) return n;
    return -1;
  }

  /** Is territory `inner` the same as or inside `outer`? Unknown ids fall back to "<outer>, ..." naming. */
  contains(outer: string, inner: string): boolean {
    const o = this.index.get(outer);
    const i = this.index.get(inner);
    if (o === undefined || i === undefined) return inner === outer || inner.startsWith(`${outer}, `);
    return this.within(i, o);
  }

  /** The territory one level up; undefined at the top or for a place the gazetteer does not list. */
  parentOf(id: string): string | undefined {
    const i = this.index.get(id);
    const p = i === undefined ? -1 : (this.parent[i] as number);
    return p >= 0 ? this.ids[p] : undefined;
  }

  /** 0 at the top; a place the gazetteer does not list is judged by its name («г. Энск, Северный район» is 1 deeper than «г. Энск»). */
  depthOf(id: string): number {
    const i = this.index.get(id);
    return i === undefined ? id.split(', ').length - 1 : (this.depth[i] as number);
  }

  /** Every territory the gazetteer lists, parents before their parts, with its parent and depth (0 at the top). */
  list(): { id: string; parent?: string; depth: number }[] {
    return this.ids.map((id, i) => {
      const parent = this.parent[i] as number;
      return { id, ...(parent >= 0 ? { parent: this.ids[parent] } : {}), depth: this.depth[i] as number };
    });
  }

  /** The territory and every place the gazetteer lists inside it (just itself when it is not listed). */
  inside(id: string): string[] {
    const o = this.index.get(id);
    if (o === undefined) return [id];
    return this.ids.filter((_, i) => this.within(i, o));
  }

  /** Is `inner` the same as or inside `outer`? */
  private within(inner: number, outer: number): boolean {
    for (let n = inner; n >= 0; n = this.parent[n] as number) if (n === outer) return true;
    return false;
  }

  /** A place inside the source beats one outside it; among equals, the more specific wins. */
  private better(candidate: number, current: number, source: number): boolean {
    if (source >= 0) {
      const ci = this.within(candidate, source);
      const cu = this.within(current, source);
      if (ci !== cu) return ci;
    }
    return (this.depth[candidate] as number) > (this.depth[current] as number);
  }
}
