import type { Redis } from 'ioredis';
import type { Incident } from '../../core/incident/incident.js';
import type { RedisKeys } from './keys.js';

/** Creates incidents that do not exist yet, indexes them by time and counts them, atomically. */
const CREATE_SCRIPT = `
local n = (#KEYS - 2)
local out = {}
local created = 0
for i = 1, n do
  if redis.call('SET', KEYS[i + 2], ARGV[(i - 1) * 3 + 1], 'NX') then
    redis.call('ZADD', KEYS[2], ARGV[(i - 1) * 3 + 2], ARGV[(i - 1) * 3 + 3])
    created = created + 1
    out[i] = 1
  else
    out[i] = 0
  end
end
if created > 0 then redis.call('HINCRBY', KEYS[1], 'incidents_opened', created) end
return out
`;

/** Redis is the system of record for incidents (AOF on). */
export class IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Returns, per incident, whether this call created it. */
  async createMany(incidents: readonly Incident[]): Promise<boolean[]> {
    if (incidents.length === 0) return [];
    const keys = [this.keys.stats(), this.keys.incidentsByCreated(), ...incidents.map((i) => this.keys.incident(i.id))];
    const args = incidents.flatMap((i) => [JSON.stringify(i), String(Date.parse(i.createdAt)), i.id]);
    const res = (await this.redis.eval(CREATE_SCRIPT, keys.length, ...keys, ...args)) as number[];
    return res.map((v) => v === 1);
  }

  async get(id: string): Promise<Incident | undefined> {
    const text = await this.redis.get(this.keys.incident(id));
    return text === null ? undefined : (JSON.parse(text) as Incident);
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.keys.incidentsByCreated());
  }

  async latest(limit: number): Promise<Incident[]> {
    const ids = await this.redis.zrevrange(this.keys.incidentsByCreated(), 0, limit - 1);
    if (ids.length === 0) return [];
    const docs = await this.redis.mget(ids.map((id) => this.keys.incident(id)));
    return docs.filter((d): d is string => d !== null).map((d) => JSON.parse(d) as Incident);
  }
}
