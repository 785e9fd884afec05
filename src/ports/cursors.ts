import type { z } from 'zod';

/** Per-source poll cursors, saved only after the items they cover are enqueued. */
export interface Cursors {
  /** The saved cursor, checked against the connector's schema; SOURCE_CONFIG_INVALID when it cannot be read. */
  load<C>(sourceId: string, schema: z.ZodType<C>): Promise<C | undefined>;
  save(sourceId: string, cursor: unknown): Promise<void>;
}
