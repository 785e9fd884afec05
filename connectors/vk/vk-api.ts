import { z } from 'zod';
import { OtklikError } from '../../src/core/errors.js';
import { withinBudget, type ConnectorEnvironment } from '../../src/connector/connector.js';
import { postToPlatform } from '../../src/platform/http.js';

/** Transport options every VK source shares. */
export const vkTransportOptions = {
  /** VK moved API traffic to api.vk.ru in 2025; links stay on vk.com. */
  apiUrl: z.string().url().default('https://api.vk.ru'),
  version: z.string().regex(/^5\.\d+$/).default('5.199'),
  timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  /**
   * Calls a second for this source's token: 3 for a user token, 20 for a community token. A service
   * token's tier is unconfirmed for 2026 (platform reference 1.3), so 3 until no error 6 is seen.
   */
  requestsPerSecond: z.number().int().min(1).max(60).default(3),
  /** Name of the secret that reads this source (a service or user token). */
  tokenSecret: z.string().regex(/^[A-Z0-9_]+$/).default('VK_TOKEN'),
  /**
   * What `tokenSecret` is. VK's schema (`access_token_type`) refuses a service token `execute` and
   * `wall.getComment` (error 28), so with one every read is its own call; a user token batches reads
   * in `execute` and also sees closed communities its user belongs to.
   */
  tokenType: z.enum(['service', 'user']).default('service'),
};

export interface VkTransport {
  apiUrl: string;
  version: string;
  timeoutMs: number;
  requestsPerSecond: number;
  tokenSecret: string;
  tokenType: 'service' | 'user';
}

const vkErrorBody = z.object({ error_code: z.number().int(), error_msg: z.string().default('') }).passthrough();
const executeError = z.object({ method: z.string().default(''), error_code: z.number().int(), error_msg: z.string().default('') }).passthrough();
const errorEnvelope = z.object({ error: vkErrorBody });
const envelope = z.object({ response: z.unknown().refine((v) => v !== undefined, 'missing'), execute_errors: z.array(executeError).optional() });

/** How VK error codes steer the engine (platform reference 1.8). */
export function vkError(code: number, msg: string, where: string): OtklikError {
  const message = `${where}: VK error ${code} ${msg}`.slice(0, 500);
  const details = { platform: 'vk', platformCode: code };
  switch (code) {
    case 6:
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 1 });
    case 9: // flood control for an action type: minutes
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 300 });
    case 29: // the method's daily quota for this token: nothing to gain before tomorrow
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 6 * 3600 });
    case 1:
    case 10:
      return new OtklikError('PLATFORM_UNAVAILABLE', message, { details });
    case 5: // token invalid or expired
    case 15: // wall closed or community blocked
    case 17: // validation required
    case 18: // owner deleted or banned
    case 27: // a community token cannot read walls
    case 28: // a service token cannot do this (e.g. wall.createComment)
    case 30: // private profile
    case 203: // access to the group denied
      return new OtklikError('PLATFORM_AUTH_FAILED', message, { details });
    default:
      return new OtklikError('PLATFORM_ERROR', message, { details });
  }
}

/** A refusal that concerns one call (a closed post, a server hiccup), not the token or the rate. */
function alone(e: unknown): e is OtklikError {
  if (!(e instanceof OtklikError) || typeof e.details?.platformCode !== 'number') return false;
  return e.code !== 'PLATFORM_RATE_LIMITED' && e.details.platformCode !== 5;
}

/** One call inside an `execute` batch. */
export interface VkCall {
  method: string;
  params: Record<string, string | number>;
}

export type VkBatchResult = { ok: true; value: unknown } | { ok: false; error: OtklikError };

/**
 * VK's API as connectors use it: form-encoded POSTs to `<apiUrl>/method/<name>` with the token in
 * the body (never the URL), the HTTP-200 error envelope mapped to typed errors, every call within
 * the token's rate budget, and `execute` for batches of up to 25 calls.
 */
export class VkApi {
  constructor(
    private readonly o: VkTransport,
    private readonly env: ConnectorEnvironment,
    private readonly sourceId: string,
  ) {}

  token(name = this.o.tokenSecret): string {
    const token = this.env.secret(name);
    if (!token) throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: ${name} is not set`);
    return token;
  }

  async call(method: string, params: Record<string, string | number>, token = this.token()): Promise<unknown> {
    const body = await this.post(method, params, token);
    return body.response;
  }

  /**
   * Runs up to 25 calls in one request. A call that failed comes back as `false` with its error in
   * `execute_errors` (in order) [observed in the platform reference]; it fails alone, the others stand.
   */
  async execute(calls: readonly VkCall[], token = this.token()): Promise<VkBatchResult[]> {
    if (calls.length === 0) return [];
    if (calls.length > 25) throw new Error('VK execute takes at most 25 calls');
    const code = `return [${calls.map((c) => `API.${c.method}(${JSON.stringify(c.params)})`).join(',')}];`;
    const body = await this.post('execute', { code }, token);
    const results = z.array(z.unknown()).safeParse(body.response);
    if (!results.success || results.data.length !== calls.length) {
      throw new OtklikError('PLATFORM_RESPONSE_INVALID', `vk execute (source ${this.sourceId}): expected ${calls.length} results`, {
        details: { platform: 'vk', raw: JSON.stringify(body.response ?? null).slice(0, 2000) },
      });
    }
    const errors = [...(body.execute_errors ?? [])];
    return results.data.map((value, i) => {
      if (value !== false) return { ok: true, value };
      const e = errors.shift();
      const where = `vk ${calls[i]?.method ?? 'execute'} (source ${this.sourceId})`;
      return { ok: false, error: e ? vkError(e.error_code, e.error_msg.replaceAll(token, '[token]'), where) : new OtklikError('PLATFORM_ERROR', `${where}: failed inside execute without an error`) };
    });
  }

  /**
   * Runs read calls as the token allows: 25 to an `execute` with a user token, one by one with a
   * service token (VK refuses it `execute`). Either way a call that VK refuses fails alone; being
   * throttled, a dead token or an unreachable VK fails the whole run.
   */
  async run(calls: readonly VkCall[], token = this.token()): Promise<VkBatchResult[]> {
    const out: VkBatchResult[] = [];
    if (this.o.tokenType === 'user') {
      for (let i = 0; i < calls.length; i += 25) out.push(...(await this.execute(calls.slice(i, i + 25), token)));
      return out;
    }
    for (const c of calls) {
      try {
        out.push({ ok: true, value: await this.call(c.method, c.params, token) });
      } catch (e) {
        if (!alone(e)) throw e;
        out.push({ ok: false, error: e });
      }
    }
    return out;
  }

  private async post(method: string, params: Record<string, string | number>, token: string): Promise<{ response?: unknown; execute_errors?: { error_code: number; error_msg: string }[] }> {
    const where = `vk ${method} (source ${this.sourceId})`;
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) form.set(k, String(v));
    form.set('v', this.o.version);
    form.set('access_token', token);
    const { status, json, text } = await withinBudget(this.env, token, this.o.requestsPerSecond, () =>
      postToPlatform({
        platform: 'vk',
        where,
        url: `${this.o.apiUrl}/method/${method}`,
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        timeoutMs: this.o.timeoutMs,
        ...(this.env.http ? { dispatcher: this.env.http } : {}),
      }),
    );
    const failed = errorEnvelope.safeParse(json);
    // VK's message is shown and logged; it should never echo a token, and if it does, it does not get out.
    if (failed.success) throw vkError(failed.data.error.error_code, failed.data.error.error_msg.replaceAll(token, '[token]'), where);
    const env = envelope.safeParse(json);
    if (!env.success) {
      throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${where}: the response does not match the VK envelope`, { details: { platform: 'vk', status, raw: text.slice(0, 2000) } });
    }
    return env.data;
  }

  /** Parses a response payload, or says which field broke, keeping the raw text for the dead letter. */
  parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, method: string): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new OtklikError('PLATFORM_RESPONSE_INVALID', `vk ${method} (source ${this.sourceId}): unexpected response at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, {
      details: { platform: 'vk', raw: JSON.stringify(value ?? null).slice(0, 2000) },
    });
  }
}
