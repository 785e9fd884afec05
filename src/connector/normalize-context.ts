import type { ZodError } from 'zod';
import { OtklikError } from '../core/errors.js';

/** What a connector knows about where an item came from, beyond the item itself. */
export interface NormalizeContext {
  sourceId: string;
  territory?: string;
  /** ISO instant of capture. */
  capturedAt: string;
}

/** A platform payload that does not match the documented shape: names the first bad field. */
export function invalidPayload(platform: string, error: ZodError, details: Record<string, unknown> = {}): OtklikError {
  const issue = error.issues[0];
  const field = issue ? issue.path.join('.') || '(root)' : '(root)';
  return new OtklikError('POST_INVALID', `${platform} payload invalid at ${field}: ${issue?.message ?? 'unknown problem'}`, {
    details: { ...details, platform, field, problems: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
  });
}

export function unixToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
