import { z } from 'zod';

/** `page` and `size` of every list the API returns whole from memory. */
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1), size: z.coerce.number().int().min(1).max(500).default(100) }).strict();
export type PageQuery = z.infer<typeof pageQuery>;

export function paged<T>(all: readonly T[], q: PageQuery): { items: T[]; total: number; page: number; size: number } {
  return { items: all.slice((q.page - 1) * q.size, q.page * q.size), total: all.length, page: q.page, size: q.size };
}
