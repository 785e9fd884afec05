import type { Redis } from 'ioredis';
import { presetsSchema, type Presets } from '../../core/moderation/presets.js';
import type { RedisKeys } from './keys.js';
import type { PresetStore, StoredPresets } from '../../ports/presets.js';

/** Presets set through the API, one JSON value. */
export class RedisPresetStore implements PresetStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(): Promise<StoredPresets | undefined> {
    const json = await this.redis.get(this.keys.presets());
    if (json === null) return undefined;
    const v = JSON.parse(json) as Partial<StoredPresets>;
    // Written only by set(), after validation: a value that no longer parses is a bug worth a loud error.
    return { presets: presetsSchema.parse(v.presets), updatedBy: String(v.updatedBy), updatedAt: String(v.updatedAt) };
  }

  async set(presets: Presets, updatedBy: string, at: Date): Promise<StoredPresets> {
    const stored: StoredPresets = { presets: presetsSchema.parse(presets), updatedBy, updatedAt: at.toISOString() };
    await this.redis.set(this.keys.presets(), JSON.stringify(stored));
    return stored;
  }

  async clear(): Promise<void> {
    await this.redis.del(this.keys.presets());
  }
}
