import { OtklikError } from '../../core/errors.js';
import type { Incident, IncidentStatus } from '../../core/incident/incident.js';
import type { AuditEvent } from '../../core/incident/lifecycle.js';
import type { IncidentChange, IncidentRepository } from '../../ports/incident-repository.js';

/**
 * Incidents in one process's memory, with the Redis store's semantics (all-or-nothing commits,
 * version checks, status and time indexes): for fast tests of the incident service and for
 * tools. It passes the same conformance suite as the Redis store.
 */
export class MemoryIncidentRepository implements IncidentRepository {
  private readonly docs = new Map<string, Incident>();
  private readonly trail = new Map<string, AuditEvent[]>();
  /** Incidents opened through this repository (Redis keeps the same figure as `incidents_opened`). */
  opened = 0;

  async commit(changes: readonly IncidentChange[]): Promise<void> {
    for (const c of changes) {
      const current = this.docs.get(c.incident.id);
      const ok = c.expectedVersion === 0 ? current === undefined : current?.version === c.expectedVersion;
      if (!ok) {
        throw new OtklikError('INCIDENT_VERSION_CONFLICT', `incident ${c.incident.id} was changed by someone else (now at version ${current?.version ?? 'missing'}); reload and try again`, {
          details: { incidentId: c.incident.id, currentVersion: current === undefined ? 'missing' : String(current.version) },
        });
      }
    }
    for (const c of changes) {
      // A copy, so a caller changing its object later does not change what is stored.
      this.docs.set(c.incident.id, structuredClone(c.incident));
      this.trail.set(c.incident.id, [...(this.trail.get(c.incident.id) ?? []), ...structuredClone(c.events)]);
      if (c.expectedVersion === 0) this.opened++;
    }
  }

  async get(id: string): Promise<Incident | undefined> {
    const d = this.docs.get(id);
    return d ? structuredClone(d) : undefined;
  }

  async require(id: string): Promise<Incident> {
    const inc = await this.get(id);
    if (!inc) throw new OtklikError('INCIDENT_NOT_FOUND', `no incident ${id}`, { details: { incidentId: id } });
    return inc;
  }

  async getMany(ids: readonly string[]): Promise<Incident[]> {
    return ids.flatMap((id) => {
      const d = this.docs.get(id);
      return d ? [structuredClone(d)] : [];
    });
  }

  async events(id: string): Promise<AuditEvent[]> {
    return structuredClone(this.trail.get(id) ?? []);
  }

  async count(): Promise<number> {
    return this.docs.size;
  }

  async idsByStatus(status: IncidentStatus, limit = 1000, offset = 0): Promise<string[]> {
    return this.byCreated()
      .filter((i) => i.status === status)
      .slice(offset, offset + limit)
      .map((i) => i.id);
  }

  async newestByStatus(status: IncidentStatus, limit: number): Promise<string[]> {
    return this.byCreated()
      .filter((i) => i.status === status)
      .reverse()
      .slice(0, limit)
      .map((i) => i.id);
  }

  async latest(limit: number): Promise<Incident[]> {
    return this.byCreated().reverse().slice(0, limit).map((i) => structuredClone(i));
  }

  /** Oldest first; ties by id, as Redis orders equal scores. */
  private byCreated(): Incident[] {
    return [...this.docs.values()].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
