import type { FastifySchemaCompiler } from 'fastify';
import type { ZodError, ZodTypeAny } from 'zod';
import { OtklikError } from '../core/errors.js';

/** "path: problem; path: problem", naming unknown keys instead of zod's generic wording. */
export function describeZodError(e: ZodError, where: string): string {
  return e.issues
    .map((i) => `${[where, ...i.path].join('.')}: ${i.code === 'unrecognized_keys' ? `unknown field(s) ${(i as { keys: string[] }).keys.join(', ')}` : i.message}`)
    .join('; ');
}

/**
 * Route schemas are zod schemas (also the source of the OpenAPI document). A request that fails
 * one is a VALIDATION_FAILED error naming every problem; the parsed value (defaults, coercions)
 * replaces the raw one.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodTypeAny> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    const r = schema.safeParse(data);
    if (r.success) return { value: r.data as unknown };
    const where = httpPart === 'querystring' ? 'query' : (httpPart ?? 'request');
    return { error: new OtklikError('VALIDATION_FAILED', describeZodError(r.error, where), { details: { problems: r.error.issues.length } }) };
  };
