import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { BotUpdateHub } from '../../connector/bot-update-hub.js';
import type { RedisKeys } from './keys.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/**
 * Puts the updates into every subscriber's inbox and moves the offset, in one step, and only if
 * this reader still holds the bot (a reader whose hold lapsed must not move the offset back or
 * deliver twice). KEYS: lock, offset, subscribers; ARGV: token, next offset, since (ms), max
 * inbox length, inbox key prefix, then the updates as JSON.
 */
const DELIVER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local since = tonumber(ARGV[3])
local subs = redis.call('HGETALL', KEYS[3])
local n = 0
for i = 1, #subs, 2 do
  if tonumber(subs[i + 1]) >= since then
    for j = 6, #ARGV do
      redis.call('XADD', ARGV[5] .. subs[i], 'MAXLEN', '~', ARGV[4], '*', 'u', ARGV[j])
    end
    n = n + 1
  end
end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[2]) > current then redis.call('SET', KEYS[2], ARGV[2]) end
return n
`;

/** A source that has not polled for a week no longer gets updates (its inbox would only grow). */
const SUBSCRIBER_TTL_MS = 7 * 86_400_000;
/** An inbox nobody reads stops growing here; a live source drains far below it. */
const MAX_INBOX = 100_000;

/**
 * The bot update hub in Redis: a lock per bot (one reader across every process), the bot's offset,
 * its subscribers with when they last polled, one stream per source as its inbox, and message links
 * with a TTL. Keys carry a hash of the token, never the token.
 */
export class RedisBotUpdateHub implements BotUpdateHub {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async subscribe(bot: string, sourceId: string): Promise<void> {
    await this.redis.hset(this.keys.botSubscribers(bot), sourceId, String(this.now()));
  }

  async readExclusive(bot: string, holdMs: number, read: (offset: number | undefined) => Promise<{ updates: readonly unknown[]; nextOffset: number }>): Promise<boolean> {
    const lock = this.keys.botLock(bot);
    const token = randomUUID();
    if ((await this.redis.set(lock, token, 'PX', holdMs, 'NX')) !== 'OK') return false;
    try {
      const stored = await this.redis.get(this.keys.botOffset(bot));
      const r = await read(stored === null ? undefined : Number(stored));
      const delivered = await this.redis.eval(
        DELIVER,
        3,
        lock,
        this.keys.botOffset(bot),
        this.keys.botSubscribers(bot),
        token,
        String(r.nextOffset),
        String(this.now() - SUBSCRIBER_TTL_MS),
        String(MAX_INBOX),
        this.keys.botInbox(bot, ''),
        ...r.updates.map((u) => JSON.stringify(u)),
      );
      // The hold lapsed while reading: another reader may have taken the bot; what was read here is
      // not confirmed (the offset did not move) and will be read again.
      return delivered !== -1;
    } finally {
      await this.redis.eval(RELEASE, 1, lock, token);
    }
  }

  async inbox(bot: string, sourceId: string, after: string, limit: number): Promise<{ position: string; update: unknown }[]> {
    const rows = await this.redis.xrange(this.keys.botInbox(bot, sourceId), after === '' ? '-' : `(${after}`, '+', 'COUNT', limit);
    return rows.map(([position, fields]) => ({ position, update: JSON.parse(fields[fields.indexOf('u') + 1] ?? 'null') as unknown }));
  }

  async trim(bot: string, sourceId: string, upTo: string): Promise<void> {
    if (upTo === '') return;
    // MINID keeps entries from upTo on; the one at upTo itself was read, and is harmless to keep.
    await this.redis.xtrim(this.keys.botInbox(bot, sourceId), 'MINID', upTo);
  }

  async link(bot: string, a: string, b: string, ttlSeconds: number): Promise<void> {
    await this.redis.multi().set(this.keys.botLink(bot, a), b, 'EX', ttlSeconds).set(this.keys.botLink(bot, b), a, 'EX', ttlSeconds).exec();
  }

  async linked(bot: string, keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    const values = await this.redis.mget(...keys.map((k) => this.keys.botLink(bot, k)));
    keys.forEach((k, i) => {
      const v = values[i];
      if (v) out.set(k, v);
    });
    return out;
  }
}
