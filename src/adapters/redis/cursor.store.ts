import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { OtklikError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { Cursors } from '../../ports/cursors.js';

/** Per-source poll cursors, saved only after the items they cover are enqueued. */
export class CursorStore implements Cursors {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async load<C>(sourceId: string, schema: z.ZodType<C>): Promise<C | undefined> {
    const text = await this.redis.get(this.keys.cursor(sourceId));
    if (text === null) return undefined;
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      // A cursor we cannot read must not silently restart the source from scratch.
      throw new OtklikError('SOURCE_CONFIG_INVALID', `stored cursor of source ${sourceId} is invalid`, {
        details: { sourceId, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      });
    }
    return parsed.data;
  }

  async save(sourceId: string, cursor: unknown): Promise<void> {
    await this.redis.set(this.keys.cursor(sourceId), JSON.stringify(cursor));
  }
}
