import { z } from 'zod';
import { bodySchema, checkBodies, slaPolicySetSchema } from '../bodies/bodies.js';

export const routingRulesSchema = z
  .object({
    version: z.literal(1),
    fallbackBody: z.string().min(1),
    /** SLA policy sets by name; each body names one. */
    slaPolicies: z.record(z.string().regex(/^[a-z0-9-]+$/), slaPolicySetSchema),
    /** On reroute, the body-level clocks restart for the new body (the incident-level clock never does). */
    rerouteRestartsBodyClock: z.boolean().default(true),
    bodies: z.array(bodySchema).min(1),
    routes: z.array(z.object({ topic: z.string().min(1), territory: z.string().min(1).optional(), body: z.string().min(1) }).strict()),
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

/** Topic × territory → responsible body; the most specific route wins, else the fallback body. */
export class Router {
  private readonly exact = new Map<string, string>();
  private readonly byTopic = new Map<string, string>();

  constructor(private readonly rules: RoutingRules) {
    for (const r of rules.routes) {
      if (r.territory) this.exact.set(`${r.topic}\u0000${r.territory}`, r.body);
      else this.byTopic.set(r.topic, r.body);
    }
  }

  route(topic: string, territory: string | undefined): RouteDecision {
    if (territory) {
      const body = this.exact.get(`${topic}\u0000${territory}`);
      if (body) return { bodyId: body, reason: `route ${topic} × ${territory}` };
    }
    const body = this.byTopic.get(topic);
    if (body) return { bodyId: body, reason: `route ${topic}` };
    return { bodyId: this.rules.fallbackBody, reason: `no route for ${topic}: fallback` };
  }
}
