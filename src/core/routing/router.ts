import { z } from 'zod';
import { normalizeText, tokenize } from '../classify/text.js';
import { matcherOf, termSchema, withStems, type AnalyzedTokens, type TermMatcher } from '../classify/terms.js';
import { bodySchema, checkBodies, slaPolicySetSchema, type Body } from '../bodies/bodies.js';
import type { LinearModel } from '../classify/linear-model.js';
import { OtklikError } from '../errors.js';
import { knowsTopic, rankBodies, ROUTE_PROPOSE_MIN } from './learned-router.js';

/** A route's body that means "the administration of the place the post is about". */
export const ADMINISTRATION = '@administration';

/**
 * One route: topic (a group or `group.topic`) × optional territory × optional keywords → body.
 * Keywords and exclusions are terms in the syntax every rule file uses (`дерев*`, `=ук`, phrases).
 */
export const routeSchema = z
  .object({
    topic: z.string().min(1).max(100),
    territory: z.string().min(1).max(200).optional(),
    /** The route applies only when the post has one of these terms. */
    keywords: z.array(termSchema).min(1).max(100).optional(),
    /** The route does not apply when the post has one of these terms. */
    exclude: z.array(termSchema).min(1).max(100).optional(),
    /** A body id, or `@administration`: the administration of the post's place. */
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
    if (r.body !== ADMINISTRATION && !known.bodies(r.body)) out.push(`routes.${i}.body: unknown body "${r.body}"`);
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
    /**
     * A responder's final answer waits for a moderator (`on_review`), who publishes it or sends it
     * back for rework; off, it goes out at once.
     */
    answerReview: z.boolean().default(false),
    /**
     * How sure the learned router must be to propose a body where no route speaks; below it, the
     * fallback body. A region whose posts seldom name their place (no route can speak for them) may
     * lower it so moderators start from the model's best guess rather than the fallback: 0 proposes
     * the best guess always (its probability is in the reason).
     */
    learnedProposeMin: z.number().min(0).max(1).default(ROUTE_PROPOSE_MIN),
    bodies: z.array(bodySchema).min(1),
    routes: z.array(routeSchema),
  })
  .strict()
  .superRefine((r, ctx) => {
    checkBodies(r.bodies, r.slaPolicies, ctx, ['bodies']);
    const ids = new Set(r.bodies.map((b) => b.id));
    if (!ids.has(r.fallbackBody)) ctx.addIssue({ code: 'custom', path: ['fallbackBody'], message: `unknown body "${r.fallbackBody}"` });
    r.routes.forEach((route, i) => {
      if (route.body !== ADMINISTRATION && !ids.has(route.body)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'body'], message: `unknown body "${route.body}"` });
    });
  });

export type RoutingRules = z.infer<typeof routingRulesSchema>;

export interface RouteDecision {
  bodyId: string;
  /**
   * Why, in a fixed grammar the console translates: `route <topic>[ × <territory>][ × "<term>"][ →
   * administration of <territory>][; over <the runner-up, same form>]` or `no route for <topic>: fallback`.
   */
  reason: string;
  /** No route matched: the fallback body. */
  fallback?: boolean;
  /**
   * The learned router chose (its probability): where no route matched (reason `learned <p>; no
   * route for <topic>`), or among routes of equal precedence for different bodies (`…; learned <p>`).
   */
  learned?: number;
}

/** What the router knows of territories: which contains which, and each one's parent and depth. */
export interface TerritoryTree {
  contains(outer: string, inner: string): boolean;
  /** The territory one level up; undefined at the top or for a place the gazetteer does not list. */
  parentOf(id: string): string | undefined;
  /** 0 at the top of the gazetteer; places it does not list count as the deepest. */
  depthOf(id: string): number;
}

/** Only equal names match: a router told nothing about territories. */
export const flatTerritories: TerritoryTree = { contains: (outer, inner) => outer === inner, parentOf: () => undefined, depthOf: () => 0 };

interface CompiledRoute {
  topic: string;
  territory?: string;
  keywords?: TermMatcher<string>;
  exclude?: TermMatcher<string>;
  body: string;
  /** Precedence, most important first: how deep the route's territory is (−1: any), topic inside a group over the group, keywords over none. */
  territoryDepth: number;
  topicDepth: number;
  hasKeywords: boolean;
  index: number;
}

interface Candidate {
  route: CompiledRoute;
  bodyId: string;
  keyword?: string;
  /** For `@administration`: the territory whose administration it is. */
  administrationOf?: string;
}

/**
 * Topic × territory (× keywords) → responsible body. Of the routes that match, the one for the
 * deepest territory wins (a town's route over the region's, any territory over none), then the
 * topic inside a group over the group, then a route with keywords over one without, then file order.
 * A route may name `@administration`: the administration of the post's place, found by walking up
 * from it to the nearest territory with an administration body. The reason names the winner and the
 * best route for another body it won over.
 */
export class Router {
  private readonly byTopic = new Map<string, CompiledRoute[]>();
  private readonly administrations = new Map<string, string>();

  /** The routes and fallback body in force. */
  routes(): RouteTable {
    return { fallbackBody: this.rules.fallbackBody, routes: this.rules.routes };
  }

  /** The same router with another route table (set at run time), same territories, bodies and learned model. */
  withTable(table: RouteTable): Router {
    return new Router({ ...this.rules, ...table }, this.tree, this.learned);
  }

  /** The same router with another learned model (a retrained one promoted), or none. */
  withLearned(model: LinearModel | undefined): Router {
    return new Router(this.rules, this.tree, model);
  }

  /** The learned model in force, if any (for /health and the console). */
  get learnedModel(): LinearModel | undefined {
    return this.learned;
  }

  constructor(
    private readonly rules: Pick<RoutingRules, 'fallbackBody' | 'routes'> & { bodies?: readonly Body[]; learnedProposeMin?: number },
    /** What the gazetteer knows; without it, only equal territory names match. */
    tree: TerritoryTree | ((outer: string, inner: string) => boolean) = flatTerritories,
    /**
     * A router model learnt from moderators' accepts and reroutes (learned-router.ts): it speaks
     * only where the rules are silent or tie between bodies; where a route decides, the route rules.
     */
    private readonly learned?: LinearModel,
  ) {
    if (learned && learned.featureSet !== 'route') throw new OtklikError('RULES_INVALID', `the router model must be trained on route features, not ${learned.featureSet}`);
    this.tree = typeof tree === 'function' ? { ...flatTerritories, contains: tree } : tree;
    if (rules.bodies) this.bodyIds = new Set(rules.bodies.map((b) => b.id));
    for (const b of rules.bodies ?? []) if (b.administration && b.territory) this.administrations.set(b.territory, b.id);
    rules.routes.forEach((r, index) => {
      const compiled: CompiledRoute = {
        topic: r.topic,
        ...(r.territory ? { territory: r.territory } : {}),
        ...(r.keywords ? { keywords: matcherOf(r.keywords) } : {}),
        ...(r.exclude ? { exclude: matcherOf(r.exclude) } : {}),
        body: r.body,
        territoryDepth: r.territory ? this.tree.depthOf(r.territory) : -1,
        topicDepth: r.topic.includes('.') ? 1 : 0,
        hasKeywords: r.keywords !== undefined,
        index,
      };
      const list = this.byTopic.get(r.topic) ?? [];
      list.push(compiled);
      this.byTopic.set(r.topic, list);
    });
  }

  private readonly tree: TerritoryTree;
  /** The bodies the rules define, when given: a learned body no longer defined is never proposed. */
  private readonly bodyIds?: Set<string>;

  /** The administration of a place: its own, or the nearest one above it. */
  administrationOf(territory: string | undefined): { bodyId: string; territory: string } | undefined {
    const seen = new Set<string>();
    for (let t = territory; t !== undefined && !seen.has(t); t = this.tree.parentOf(t)) {
      seen.add(t);
      const bodyId = this.administrations.get(t);
      if (bodyId) return { bodyId, territory: t };
    }
    return undefined;
  }

  /**
   * `topic` is a group (`snow`) or a topic inside one (`snow.yards`); routes for the group apply to
   * its topics too. A route's territory covers its parts. `text` is the post's text, for keywords.
   */
  route(topic: string, territory: string | undefined, text = ''): RouteDecision {
    const dot = topic.indexOf('.');
    const routes = [...(this.byTopic.get(topic) ?? []), ...(dot > 0 ? (this.byTopic.get(topic.slice(0, dot)) ?? []) : [])];
    let analysed: AnalyzedTokens | undefined;
    const words = () => (analysed ??= withStems(tokenize(normalizeText(text))));
    const matching: Candidate[] = [];
    for (const r of routes) {
      if (r.territory !== undefined && (territory === undefined || !this.tree.contains(r.territory, territory))) continue;
      let keyword: string | undefined;
      if (r.keywords) {
        keyword = r.keywords.match(words())[0]?.term.source;
        if (keyword === undefined) continue;
      }
      if (r.exclude && r.exclude.match(words()).length > 0) continue;
      if (r.body === ADMINISTRATION) {
        const admin = this.administrationOf(territory);
        if (!admin) continue;
        matching.push({ route: r, bodyId: admin.bodyId, administrationOf: admin.territory, ...(keyword ? { keyword } : {}) });
      } else {
        matching.push({ route: r, bodyId: r.body, ...(keyword ? { keyword } : {}) });
      }
    }
    if (matching.length === 0) {
      const best = this.rank(text, topic, territory)[0];
      if (best && best.p >= (this.rules.learnedProposeMin ?? ROUTE_PROPOSE_MIN)) return { bodyId: best.bodyId, reason: `learned ${best.p.toFixed(2)}; no route for ${topic}`, learned: round2(best.p) };
      return { bodyId: this.rules.fallbackBody, reason: `no route for ${topic}: fallback`, fallback: true };
    }
    matching.sort(byPrecedence);
    let winner = matching[0] as Candidate;
    // Routes of equal precedence for different bodies: file order would decide, silently; the
    // learned router, when there is one, picks the body moderators chose for such posts.
    const tied = matching.filter((c) => bySpecificity(c, winner) === 0);
    let learned: number | undefined;
    if (this.learned && new Set(tied.map((c) => c.bodyId)).size > 1) {
      const p = new Map(this.rank(text, topic, territory).map((b) => [b.bodyId, b.p]));
      const pick = [...tied].sort((a, b) => (p.get(b.bodyId) ?? 0) - (p.get(a.bodyId) ?? 0))[0] as Candidate;
      if ((p.get(pick.bodyId) ?? 0) > 0) {
        winner = pick;
        learned = round2(p.get(pick.bodyId) ?? 0);
      }
    }
    const runnerUp = matching.find((c) => c.bodyId !== winner.bodyId);
    return {
      bodyId: winner.bodyId,
      reason: `route ${describe(winner)}${runnerUp ? `; over ${describe(runnerUp)}` : ''}${learned !== undefined ? `; learned ${learned.toFixed(2)}` : ''}`,
      ...(learned !== undefined ? { learned } : {}),
    };
  }

  /** The learned router's bodies for a post, most likely first (only bodies the rules still define; none for a topic it never learnt). */
  private rank(text: string, topic: string, territory: string | undefined): { bodyId: string; p: number }[] {
    if (!this.learned || !knowsTopic(this.learned, topic)) return [];
    const ranked = rankBodies(this.learned, text, topic, territory, this.tree);
    return this.bodyIds ? ranked.filter((b) => this.bodyIds?.has(b.bodyId)) : ranked;
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Which route is more specific: the deeper territory, then the topic inside a group, then keywords (0: equal). */
function bySpecificity(a: Candidate, b: Candidate): number {
  const x = a.route;
  const y = b.route;
  return y.territoryDepth - x.territoryDepth || y.topicDepth - x.topicDepth || Number(y.hasKeywords) - Number(x.hasKeywords);
}

/** Specificity, then file order. */
function byPrecedence(a: Candidate, b: Candidate): number {
  return bySpecificity(a, b) || a.route.index - b.route.index;
}

function describe(c: Candidate): string {
  const parts = [c.route.topic, ...(c.route.territory ? [c.route.territory] : []), ...(c.keyword ? [`"${c.keyword}"`] : [])];
  return `${parts.join(' × ')}${c.administrationOf ? ` → administration of ${c.administrationOf}` : ''}`;
}
