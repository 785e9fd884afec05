import type { Redis } from 'ioredis';
import { OtklikError } from '../../core/errors.js';
import type { Incident, IncidentStatus } from '../../core/incident/incident.js';
import type { AuditEvent } from '../../core/incident/lifecycle.js';
import type { RedisKeys } from './keys.js';
import type { IncidentChange, IncidentRepository } from '../../ports/incident-repository.js';

/**
 * Commits several incident changes at once, or none: every expected version is checked before
 * anything is written. Per change, KEYS holds: incident, its events list, old status set, new
 * status set; the last three KEYS are the global event stream, the by-created index and the stats
 * hash (an opened incident counts there as \`incidents_opened\`, in the same step).
 * ARGV[1] is the number of changes; then per change: expected version (0 = create), new version,
 * doc, id, created score, number of events, the events.
 */
const COMMIT_SCRIPT = `
local changes = tonumber(ARGV[1])
local nk = #KEYS
local stream = KEYS[nk - 2]
local byCreated = KEYS[nk - 1]
local stats = KEYS[nk]
local a = 2
local plan = {}
for i = 1, changes do
  local expected = tonumber(ARGV[a])
  local current = redis.call('HGET', KEYS[(i - 1) * 4 + 1], 'version')
  if expected == 0 then
    if current then return {'conflict', ARGV[a + 3], current} end
  elseif (not current) or tonumber(current) ~= expected then
    return {'conflict', ARGV[a + 3], current or 'missing'}
  end
  local nev = tonumber(ARGV[a + 5])
  plan[i] = a
  a = a + 6 + nev
end
for i = 1, changes do
  local b = plan[i]
  local k = (i - 1) * 4
  local id = ARGV[b + 3]
  redis.call('HSET', KEYS[k + 1], 'doc', ARGV[b + 2], 'version', ARGV[b + 1])
  if tonumber(ARGV[b]) == 0 then
    redis.call('ZADD', byCreated, ARGV[b + 4], id)
    redis.call('HINCRBY', stats, 'incidents_opened', 1)
  end
  if KEYS[k + 3] ~= KEYS[k + 4] then redis.call('ZREM', KEYS[k + 3], id) end
  redis.call('ZADD', KEYS[k + 4], ARGV[b + 4], id)
  local nev = tonumber(ARGV[b + 5])
  for e = 1, nev do
    redis.call('RPUSH', KEYS[k + 2], ARGV[b + 5 + e])
    redis.call('XADD', stream, 'MAXLEN', '~', 1000000, '*', 'incident', id, 'event', ARGV[b + 5 + e])
  end
end
return {'ok'}
`;

/**
 * Redis is the system of record for incidents (AOF on): each incident a hash (its document and
 * version), its events a list, indexes by creation time and by status, and every event also on
 * the global stream the search mirror can replay.
 */
export class IncidentStore implements IncidentRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Writes all changes or none. A change computed from a version that is no longer current fails
   * with INCIDENT_VERSION_CONFLICT: of two moderators acting at once, one wins.
   */
  async commit(changes: readonly IncidentChange[]): Promise<void> {
    if (changes.length === 0) return;
    const keys: string[] = [];
    const args: string[] = [String(changes.length)];
    for (const c of changes) {
      const id = c.incident.id;
      keys.push(
        this.keys.incident(id),
        this.keys.incidentEvents(id),
        this.keys.incidentsByStatus(c.previousStatus ?? c.incident.status),
        this.keys.incidentsByStatus(c.incident.status),
      );
      args.push(
        String(c.expectedVersion),
        String(c.incident.version),
        JSON.stringify(c.incident),
        id,
        String(Date.parse(c.incident.createdAt)),
        String(c.events.length),
        ...c.events.map((e) => JSON.stringify(e)),
      );
    }
    keys.push(this.keys.eventStream(), this.keys.incidentsByCreated(), this.keys.stats());
    const res = (await this.redis.eval(COMMIT_SCRIPT, keys.length, ...keys, ...args)) as string[];
    if (res[0] === 'conflict') {
      throw new OtklikError('INCIDENT_VERSION_CONFLICT', `incident ${res[1] ?? ''} was changed by someone else (now at version ${res[2] ?? '?'}); reload and try again`, {
        details: { incidentId: res[1], currentVersion: res[2] },
      });
    }
  }

  async get(id: string): Promise<Incident | undefined> {
    const doc = await this.redis.hget(this.keys.incident(id), 'doc');
    return doc === null ? undefined : (JSON.parse(doc) as Incident);
  }

  async require(id: string): Promise<Incident> {
    const inc = await this.get(id);
    if (!inc) throw new OtklikError('INCIDENT_NOT_FOUND', `no incident ${id}`, { details: { incidentId: id } });
    return inc;
  }

  async events(id: string): Promise<AuditEvent[]> {
    return (await this.redis.lrange(this.keys.incidentEvents(id), 0, -1)).map((e) => JSON.parse(e) as AuditEvent);
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.keys.incidentsByCreated());
  }

  /** Ids of incidents in a status, oldest first. */
  async idsByStatus(status: IncidentStatus, limit = 1000, offset = 0): Promise<string[]> {
    return this.redis.zrange(this.keys.incidentsByStatus(status), offset, offset + limit - 1);
  }

  /** Ids of incidents in a status, newest first. */
  async newestByStatus(status: IncidentStatus, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.incidentsByStatus(status), 0, limit - 1);
  }

  async latest(limit: number): Promise<Incident[]> {
    const ids = await this.redis.zrevrange(this.keys.incidentsByCreated(), 0, limit - 1);
    return this.getMany(ids);
  }

  async getMany(ids: readonly string[]): Promise<Incident[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.incident(id), 'doc');
    const res = (await pipeline.exec()) ?? [];
    return res.map(([, d]) => d).filter((d): d is string => typeof d === 'string').map((d) => JSON.parse(d) as Incident);
  }
}
