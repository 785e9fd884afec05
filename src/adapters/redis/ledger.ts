import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { ClaimItem, ClaimLedger } from '../../ports/claim-ledger.js';

/**
 * Claims each item for one owner (a job id), atomically, and counts fresh claims.
 * An item already claimed by the same owner stays claimed (a retried job carries on); an item
 * claimed by another owner is a duplicate and is skipped. This is what makes at-least-once
 * delivery exactly-once in effect.
 */
const CLAIM_SCRIPT = `
local owner = ARGV[1]
local ttl = tonumber(ARGV[2])
local statField = ARGV[3]
local n = #KEYS - 1
local out = {}
local fresh = 0
local touched = {}
for i = 1, n do
  local key = KEYS[i + 1]
  local field = ARGV[i + 3]
  local cur = redis.call('HGET', key, field)
  if not cur then
    redis.call('HSET', key, field, owner)
    touched[key] = true
    fresh = fresh + 1
    out[i] = 1
  elseif cur == owner then
    out[i] = 1
  else
    out[i] = 0
  end
end
for key, _ in pairs(touched) do redis.call('EXPIRE', key, ttl) end
if fresh > 0 then redis.call('HINCRBY', KEYS[1], statField, fresh) end
return out
`;

export class Ledger implements ClaimLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly name: string,
    private readonly ttlSeconds: number,
  ) {}

  /** Returns, per item, whether `owner` holds the claim. */
  async claim(owner: string, items: readonly ClaimItem[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    const keys = [this.keys.stats(), ...items.map((i) => this.keys.ledger(this.name, i.day))];
    const args = [owner, String(this.ttlSeconds), `${this.name}`, ...items.map((i) => i.key)];
    const res = (await this.redis.eval(CLAIM_SCRIPT, keys.length, ...keys, ...args)) as number[];
    return res.map((v) => v === 1);
  }

  /** Number of claimed items in one day bucket. */
  async count(day: string): Promise<number> {
    return this.redis.hlen(this.keys.ledger(this.name, day));
  }
}
