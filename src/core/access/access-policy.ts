import { OtklikError } from '../errors.js';
import type { BodyDirectory } from '../bodies/bodies.js';
import type { Incident } from '../incident/incident.js';
import type { Actor } from '../incident/lifecycle.js';
import type { Principal, Role } from './principal.js';
import type { TerritoryScope } from '../search/query.js';

/** What a role may do at all; the incident scope is checked on top of it. */
export type Capability =
  | 'incidents:read'
  | 'incidents:act'
  | 'search'
  | 'reports'
  | 'bodies:read'
  | 'sources:read'
  | 'users:manage'
  | 'operate';

const CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  admin: new Set<Capability>(['incidents:read', 'incidents:act', 'search', 'reports', 'bodies:read', 'sources:read', 'users:manage', 'operate']),
  moderator: new Set<Capability>(['incidents:read', 'incidents:act', 'search', 'reports', 'bodies:read', 'sources:read']),
  responder: new Set<Capability>(['incidents:read', 'incidents:act', 'bodies:read']),
  analyst: new Set<Capability>(['incidents:read', 'search', 'reports', 'bodies:read', 'sources:read']),
};

export interface AccessEnv {
  bodies: BodyDirectory;
  /** Is territory `inner` the same as or inside `outer` (the gazetteer's answer)? */
  contains(outer: string, inner: string): boolean;
  /** The territory and the places the gazetteer lists inside it (for scoping searches). */
  inside?(region: string): readonly string[];
}

/**
 * Who sees and touches which incident. Responders: incidents routed to their body or a body
 * below it. Moderators: incidents in their regions (an incident whose territory is unknown is
 * everyone's to moderate). Analysts read everything and act on nothing. Pure: no I/O.
 */
export class AccessPolicy {
  constructor(private readonly env: AccessEnv) {}

  can(p: Principal, c: Capability): boolean {
    return CAPABILITIES[p.role].has(c);
  }

  require(p: Principal, c: Capability): void {
    if (!this.can(p, c)) throw new OtklikError('FORBIDDEN', `the ${p.role} role may not do this`, { details: { capability: c } });
  }

  /** The bodies a responder answers for; undefined = not limited to bodies. */
  bodyScope(p: Principal): Set<string> | undefined {
    if (p.role !== 'responder') return undefined;
    return p.bodyId && this.env.bodies.has(p.bodyId) ? this.env.bodies.subtree(p.bodyId) : new Set();
  }

  inRegions(p: Principal, territory: string | undefined): boolean {
    if (p.role !== 'moderator' || p.regions.length === 0 || territory === undefined) return true;
    return p.regions.some((r) => this.env.contains(r, territory));
  }

  /**
   * The territories a search, export, trend or report of this principal is limited to: a
   * moderator's regions, the same rule as for incidents. Undefined: not limited.
   */
  territoryScope(p: Principal): TerritoryScope | undefined {
    if (p.role !== 'moderator' || p.regions.length === 0) return undefined;
    const exact = new Set<string>();
    for (const r of p.regions) for (const t of this.env.inside?.(r) ?? [r]) exact.add(t);
    return { exact: [...exact], prefixes: [...exact].map((t) => `${t}, `) };
  }

  /**
   * The bodies whose SLA figures (aggregations, the quarterly rating) this principal reads: for a
   * moderator with regions, those whose territory lies in them and the region-wide ones (no
   * territory); undefined: all.
   */
  reportBodies(p: Principal): string[] | undefined {
    if (p.role !== 'moderator' || p.regions.length === 0) return undefined;
    return this.env.bodies
      .all()
      .filter((b) => b.territory === undefined || p.regions.some((r) => this.env.contains(r, b.territory as string)))
      .map((b) => b.id);
  }

  /** May this principal read a report of the region (undefined: the whole territory)? */
  requireRegion(p: Principal, region: string | undefined): void {
    if (p.role !== 'moderator' || p.regions.length === 0) return;
    if (region !== undefined && p.regions.some((r) => this.env.contains(r, region))) return;
    throw new OtklikError('FORBIDDEN', region === undefined ? `name one of your regions: ${p.regions.join('; ')}` : `region "${region}" is outside yours`, { details: { regions: p.regions } });
  }

  canSee(p: Principal, incident: Incident): boolean {
    if (!this.can(p, 'incidents:read')) return false;
    const scope = this.bodyScope(p);
    if (scope) return incident.bodyId !== undefined && scope.has(incident.bodyId);
    return this.inRegions(p, incident.territory);
  }

  /**
   * Throws the same FORBIDDEN for an incident out of scope as for one that does not exist, so a
   * scoped user learns nothing about other bodies' incidents.
   */
  requireVisible(p: Principal, incidentId: string, incident: Incident | undefined): Incident {
    if (incident && this.canSee(p, incident)) return incident;
    if (!incident && (p.role === 'admin' || p.role === 'analyst')) throw new OtklikError('NOT_FOUND', `incident ${incidentId} does not exist`);
    throw new OtklikError('FORBIDDEN', `you have no access to incident ${incidentId}`);
  }

  /** The state machine's view of who acts. */
  actor(p: Principal): Actor {
    this.require(p, 'incidents:act');
    const role = p.role as Actor['role'];
    return { id: `${p.kind === 'user' ? 'user' : 'key'}:${p.id}`, role, ...(p.bodyId ? { bodyId: p.bodyId } : {}) };
  }
}
