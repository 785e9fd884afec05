import { setTimeout as sleep } from 'node:timers/promises';
import { request, FormData, type Dispatcher } from 'undici';
import { OtklikError } from '../../core/errors.js';

export interface KibanaOptions {
  url: string;
  apiKey?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

interface ImportResponse {
  success?: boolean;
  successCount?: number;
  errors?: { id: string; type: string; title?: string; error: { type: string; message?: string } }[];
}

function headers(o: KibanaOptions): Record<string, string> {
  return { 'kbn-xsrf': 'true', ...(o.apiKey ? { authorization: `ApiKey ${o.apiKey}` } : {}) };
}

/** Waits until Kibana's status API answers 200 (it answers 503 while starting or degraded). */
export async function waitForKibana(o: KibanaOptions, attempts = 60, delayMs = 5000): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await request(`${o.url}/api/status`, { headers: headers(o), headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs, ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}) });
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not up yet
    }
    if (i + 1 < attempts) await sleep(delayMs);
  }
  throw new OtklikError('KIBANA_IMPORT_FAILED', `Kibana at ${o.url} did not become available`);
}

/**
 * Imports one NDJSON bundle through the Saved Objects API with fixed ids and overwrite, so running
 * it again is harmless. Kibana answers 200 even when some objects fail: every object is checked.
 */
export async function importSavedObjects(o: KibanaOptions, name: string, ndjson: string): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([ndjson], { type: 'application/ndjson' }), name);
  let status: number;
  let body: ImportResponse;
  try {
    const res = await request(`${o.url}/api/saved_objects/_import?overwrite=true`, {
      method: 'POST',
      body: form,
      headers: headers(o),
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
      ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    });
    status = res.statusCode;
    body = (await res.body.json().catch(() => ({}))) as ImportResponse;
  } catch (e) {
    throw new OtklikError('KIBANA_IMPORT_FAILED', `${name}: Kibana unreachable: ${(e as { code?: string }).code ?? (e as Error).message}`, { retryable: true });
  }
  if (status !== 200) throw new OtklikError('KIBANA_IMPORT_FAILED', `${name}: Kibana answered ${status}`);
  if (body.success !== true) {
    const problems = (body.errors ?? []).map((e) => `${e.type} ${e.id}: ${e.error.type}${e.error.message ? ` (${e.error.message})` : ''}`);
    throw new OtklikError('KIBANA_IMPORT_FAILED', `${name}: ${problems.length} objects failed: ${problems.join('; ') || 'no details'}`, { details: { problems } });
  }
  return body.successCount ?? 0;
}
