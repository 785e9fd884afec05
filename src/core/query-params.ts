import { z } from 'zod';

/**
 * A list in a query string, given as `a,b` or as repeated parameters: trimmed, empty parts
 * dropped, at most 50 items, each checked by `item`.
 */
export function queryList<T extends z.ZodTypeAny>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(item).max(50))
    .optional();
}

/**
 * A list whose items may themselves contain commas (territories: «г. Энск, Северный район»):
 * several are given as repeated parameters only, never split.
 */
export function queryRepeated<T extends z.ZodTypeAny>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(item).max(50))
    .optional();
}
