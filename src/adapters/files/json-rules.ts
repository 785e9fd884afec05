import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { OtklikError } from '../../core/errors.js';

/**
 * Loads one JSON rule file and validates it; any problem stops loading with an error that names
 * the file, the key and what is wrong.
 */
export function loadJsonRules<S extends z.ZodTypeAny>(path: string, schema: S, displayName = path): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OtklikError('RULES_INVALID', `${displayName}: cannot read: ${(e as Error).message}`, { details: { file: displayName } });
  }
  return parseJsonRules(text, schema, displayName);
}

export function parseJsonRules<S extends z.ZodTypeAny>(text: string, schema: S, displayName: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OtklikError('RULES_INVALID', `${displayName}: not valid JSON: ${(e as Error).message}`, { details: { file: displayName } });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new OtklikError('RULES_INVALID', `${displayName}: ${problems.join('; ')}`, { details: { file: displayName, problems } });
  }
  return parsed.data as z.infer<S>;
}
