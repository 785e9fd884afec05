import { z } from 'zod';
import { normalizeText } from '../classify/text.js';
import { bodySchema, checkBodies, slaPolicySetSchema } from '../bodies/bodies.js';

/** One route: topic (a group or `group.topic`) × optional territory × optional keywords → body. */
export const routeSchema = z
  .object({
    topic: z.string().min(1).max(100),
    territory: z.string().min(1).max(200).optional(),
    /** Word stems; the route applies only when the post contains one of them. */
    keywords: z.array(z.string().trim().min(2).max(100)).min(1).max(100).optional(),
    body: z.string().min(1).max(100),
  })
  .strict();

export type Route = z.infer<typeof routeSchema>;

/** The part of the routing rules that may change at run time: the routes and the fallback body. */
export const routeTableSchema = z.object({ fallbackBody: z.string().min(1).max(100), routes: z.array(routeSchema).max(5000) }).strict();
export type RouteTable = z.infer<typeof routeTableSchema>;

/** Problems of a route table against the bodies and topics the engine knows (empty when fine). */
export function routeTableProblems(t: RouteTable, known: { bodies: (id: string) => boolean; topics: (id: string) => boolean }): string[] {
  const out: string[] = [];
  if (!known.bodies(t.fallbackBody)) out.push(`fallbackBody: unknown body "${t.fallbackBody}"`);
  t.routes.forEach((r, i) => {
    if (!known.bodies(r.body)) out.push(`routes.${i}.body: unknown body "${r.body}"`);
    if (!known.topics(r.topic)) out.push(`routes.${i}.topic: unknown topic "${r.topic}"`);
  });
  return out;
}

export const routingRulesSchema = z
  .object({
    version: z.literal(1),
    fallbackBody: z.string().min(1),
    /** SLA policy sets by name; each body names one. */
    slaPolicies: z.record(z.string().regex(/^[a-z0-9-]+$/), slaPolicySetSchema),
    /** On reroute, the body-level clocks restart for the new body (the incident-level clock never does). */
    rerouteRestartsBodyClock: z.boolean().default(true),
    bodies: z.array(bodySchema).min(1),
    routes: z.array(routeSchema),
  })
  .strict()
  .superRefine((r, ctx) => {
    checkBodies(r.bodies, r.slaPolicies, ctx, ['bodies']);
    const ids = new Set(r.bodies.map((b) => b.id));
    if (!ids.has(r.fallbackBody)) ctx.addIssue({ code: 'custom', path: ['fallbackBody'], message: `unknown body "${r.fallbackBody}"` });
    r.routes.forEach((route, i) => {
      if (!ids.has(route.body)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'body'], message: `unknown body "${route.body}"` });
    });
  });

export type RoutingRules = z.infer<typeof routingRulesSchema>;

export interface RouteDecision {
  bodyId: string;
  reason: string;
}

interface CompiledRoute {
  topic: string;
  territory?: string;
  keywords: string[];
  body: string;
  /** Territory and keywords make a route more specific than the topic alone. */
  specificity: number;
  index: number;
}

/**
 * Topic × territory (× keywords) → responsible body. The most specific matching route wins
 * (territory and keywords over territory, over keywords, over the topic alone; ties go to the one
 * listed first); no match goes to the fallback body.
 */
export class Router {
  private readonly byTopic = new Map<string, CompiledRoute[]>();

  /** The routes and fallback body in force. */
  routes(): RouteTable {
    return { fallbackBody: this.rules.fallbackBody, routes: this.rules.routes };
  }

  /** The same router with another route table (set at run time), same territory knowledge. */
  withTable(table: RouteTable): Router {
    return new Router({ ...this.rules, ...table }, this.contains);
  }

  constructor(
    private readonly rules: Pick<RoutingRules, 'fallbackBody' | 'routes'>,
    /** Is territory `inner` inside `outer`? The gazetteer knows; without it, only equal names match. */
    private readonly contains: (outer: string, inner: string) => boolean = (outer, inner) => outer === inner,
  ) {
    rules.routes.forEach((r, index) => {
      const keywords = (r.keywords ?? []).map((k) => normalizeText(k));
      const compiled: CompiledRoute = {
        topic: r.topic,
        ...(r.territory ? { territory: r.territory } : {}),
        keywords,
        body: r.body,
        specificity: (r.territory ? 2 : 0) + (keywords.length > 0 ? 1 : 0),
        index,
      };
      const list = this.byTopic.get(r.topic) ?? [];
      list.push(compiled);
      list.sort((x, y) => y.specificity - x.specificity || x.index - y.index);
      this.byTopic.set(r.topic, list);
    });
  }

  /**
   * `topic` is a group (`snow`) or a topic inside one (`snow.yards`): routes for the topic are tried
   * before routes for its group. A route's territory covers its parts (a district of the city).
   * `text` is the post's text; keyword routes match on word stems in it.
   */
  route(topic: string, territory: string | undefined, text = ''): RouteDecision {
    const normalized = text === '' ? '' : normalizeText(text);
    const dot = topic.indexOf('.');
    const candidates = [...(this.byTopic.get(topic) ?? []), ...(dot > 0 ? (this.byTopic.get(topic.slice(0, dot)) ?? []) : [])];
    for (const r of candidates) {
      if (r.territory !== undefined && (territory === undefined || !this.contains(r.territory, territory))) continue;
      const hit = r.keywords.find((k) => containsStem(normalized, k));
      if (r.keywords.length > 0 && hit === undefined) continue;
      const parts = [r.topic, ...(r.territory ? [r.territory] : []), ...(hit ? [`"${hit}"`] : [])];
      return { bodyId: r.body, reason: `route ${parts.join(' × ')}` };
    }
    return { bodyId: this.rules.fallbackBody, reason: `no route for ${topic}: fallback` };
  }
}

/** A keyword matches where a word starts with it ("трамва" matches "трамвайные"). */
function containsStem(text: string, stem: string): boolean {
  let i = text.indexOf(stem);
  while (i !== -1) {
    if (i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1] ?? '')) return true;
    i = text.indexOf(stem, i + 1);
  }
  return false;
}
