/** A plain object read from outside (a job, a stored payload): something whose fields may be looked at. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
