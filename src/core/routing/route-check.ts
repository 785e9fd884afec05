import { ADMINISTRATION, type RouteTable } from './router.js';

/**
 * What an admin should know about a route table before trusting it: routes that can never win
 * (shadowed by an identical earlier one), routes that change nothing, territories the gazetteer
 * does not know, and `@administration` routes with no administration to find. Pure.
 */
export interface RouteProblem {
  route: number;
  kind: 'shadowed' | 'redundant' | 'unknown_territory' | 'no_administration';
  message: string;
}

export interface RouteCheckKnowledge {
  /** Does the gazetteer list this territory? */
  knownTerritory: (id: string) => boolean;
  /** Is `inner` the same as or inside `outer`? */
  contains: (outer: string, inner: string) => boolean;
  /** Territories that have an administration body. */
  administered: readonly string[];
}

const key = (words: readonly string[] | undefined) => [...(words ?? [])].map((w) => w.trim().toLowerCase()).sort().join('|');

export function checkRoutes(table: RouteTable, k: RouteCheckKnowledge): RouteProblem[] {
  const out: RouteProblem[] = [];
  const label = (i: number) => {
    const r = table.routes[i];
    return r ? `${r.topic}${r.territory ? ` × ${r.territory}` : ''}${r.keywords ? ` × ${r.keywords.join(', ')}` : ''}` : '';
  };
  const seen = new Map<string, number>();
  table.routes.forEach((r, i) => {
    const sig = `${r.topic}#${r.territory ?? ''}#${key(r.keywords)}#${key(r.exclude)}`;
    const first = seen.get(sig);
    if (first !== undefined) out.push({ route: i, kind: 'shadowed', message: `route ${i} (${label(i)}) never wins: route ${first} has the same topic, territory and words and comes first` });
    else seen.set(sig, i);
    if (r.territory !== undefined && !k.knownTerritory(r.territory)) {
      out.push({ route: i, kind: 'unknown_territory', message: `route ${i} (${label(i)}): "${r.territory}" is not in the gazetteer, so only posts placed under exactly that name match it` });
    }
    if (r.body === ADMINISTRATION) {
      const reachable = k.administered.some((t) => r.territory === undefined || k.contains(r.territory, t) || k.contains(t, r.territory));
      if (!reachable) out.push({ route: i, kind: 'no_administration', message: `route ${i} (${label(i)}) names the administration of the place, but no body administers ${r.territory ?? 'any territory'} or a place above or inside it` });
    }
    if (r.keywords !== undefined && r.exclude === undefined) {
      const plain = table.routes.findIndex((x, j) => j !== i && x.topic === r.topic && x.territory === r.territory && x.keywords === undefined && x.body === r.body);
      if (plain >= 0) out.push({ route: i, kind: 'redundant', message: `route ${i} (${label(i)}) changes nothing: route ${plain} sends the same topic and territory to the same body without words` });
    }
  });
  return out;
}
