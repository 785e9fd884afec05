import type { Redis } from 'ioredis';
import { notifyTargetsSchema, type NotifyOverride, type NotifyTargets } from '../../core/bodies/bodies.js';
import type { RedisKeys } from './keys.js';
import type { NotifyTargetStore } from '../../ports/notify-targets.js';

/**
 * Bodies' notification targets set by admins through the API, one hash field per body. They win
 * over the rules file until cleared, so a chat or webhook changes without a restart; workers read
 * them on every notification.
 */
export class RedisNotifyTargetStore implements NotifyTargetStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async getMany(bodyIds: readonly string[]): Promise<Map<string, NotifyOverride>> {
    const out = new Map<string, NotifyOverride>();
    if (bodyIds.length === 0) return out;
    const raw = await this.redis.hmget(this.keys.notifyTargets(), ...bodyIds);
    raw.forEach((json, i) => {
      const parsed = json === null ? undefined : parse(json);
      if (parsed) out.set(bodyIds[i] as string, parsed);
    });
    return out;
  }

  async all(): Promise<Map<string, NotifyOverride>> {
    const raw = await this.redis.hgetall(this.keys.notifyTargets());
    const out = new Map<string, NotifyOverride>();
    for (const [id, json] of Object.entries(raw)) {
      const parsed = parse(json);
      if (parsed) out.set(id, parsed);
    }
    return out;
  }

  async set(bodyId: string, targets: NotifyTargets, updatedBy: string, at: Date): Promise<NotifyOverride> {
    const value: NotifyOverride = { targets: notifyTargetsSchema.parse(targets), updatedBy, updatedAt: at.toISOString() };
    await this.redis.hset(this.keys.notifyTargets(), bodyId, JSON.stringify(value));
    return value;
  }

  /** Back to the rules file's targets. True when there was an override. */
  async clear(bodyId: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.notifyTargets(), bodyId)) > 0;
  }
}

/** A stored value that no longer parses is ignored (the rules file's targets apply), never thrown. */
function parse(json: string): NotifyOverride | undefined {
  try {
    const v = JSON.parse(json) as Partial<NotifyOverride>;
    const targets = notifyTargetsSchema.safeParse(v.targets);
    if (!targets.success || typeof v.updatedBy !== 'string' || typeof v.updatedAt !== 'string') return undefined;
    return { targets: targets.data, updatedBy: v.updatedBy, updatedAt: v.updatedAt };
  } catch {
    return undefined;
  }
}
