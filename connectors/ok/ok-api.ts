import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OtklikError } from '../../src/core/errors.js';
import { withinBudget, type ConnectorEnvironment } from '../../src/connector/connector.js';
import { postToPlatform } from '../../src/platform/http.js';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * OK's request signature, exactly as the platform reference 2.3 gives it: every parameter but
 * `sig` and the session, sorted by key, `key=value` joined with nothing, values raw (UTF-8, not
 * URL-encoded), then the secret: md5(access_token + application secret) with a session, the
 * application secret without one. Lower-case hex.
 */
export function okSign(params: Readonly<Record<string, string>>, accessToken: string | null, appSecret: string): string {
  const secret = accessToken ? md5(accessToken + appSecret) : appSecret;
  const base = Object.keys(params)
    .filter((k) => k !== 'sig' && k !== 'access_token' && k !== 'session_key')
    .sort()
    .map((k) => `${k}=${params[k] ?? ''}`)
    .join('');
  return md5(base + secret).toLowerCase();
}

export const okTransportOptions = {
  /** Use the `api_server` OK hands out, when it does; api.ok.ru otherwise. */
  apiUrl: z.string().url().default('https://api.ok.ru'),
  timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  /** OK publishes no per-second figure: 3 a second per token is the reference's starting point. */
  requestsPerSecond: z.number().int().min(1).max(20).default(3),
};

export interface OkTransport {
  apiUrl: string;
  timeoutMs: number;
  requestsPerSecond: number;
}

const okErrorBody = z.object({ error_code: z.number().int(), error_msg: z.string().default(''), error_data: z.unknown().optional() }).passthrough();

/** How OK error codes steer the engine (platform reference 2.5). */
export function okError(code: number, msg: string, where: string): OtklikError {
  const message = `${where}: OK error ${code} ${msg}`.slice(0, 500);
  const details = { platform: 'ok', platformCode: code };
  switch (code) {
    case 1: // unknown
    case 2: // service temporarily unavailable
      return new OtklikError('PLATFORM_UNAVAILABLE', message, { details });
    case 7: // action blocked for the user, temporarily
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 60 });
    case 8: // flood blocked
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 300 });
    case 9: // IP blocked: a long pause; operators see it in health
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 3600 });
    case 11: // the method's call limit: nothing to gain before it resets
      return new OtklikError('PLATFORM_RATE_LIMITED', message, { details, retryAfterS: 6 * 3600 });
    case 3: // method does not exist (e.g. mediatopic.getTopics withdrawn: it is unconfirmed)
    case 10: // the application is not allowed this operation
    case 50: // admin rights needed (group.getStatTopics)
    case 101: // bad application key
    case 102: // session expired
    case 103: // invalid session
    case 104: // invalid signature: credentials do not belong together
    case 105:
    case 453: // ⚠️ UNCONFIRMED number (session required)
      return new OtklikError('PLATFORM_AUTH_FAILED', message, { details });
    default:
      return new OtklikError('PLATFORM_ERROR', message, { details });
  }
}

/** Codes that mean "this topic or comment is gone" (106 is documented; 300 is ⚠️ UNCONFIRMED). */
export const OK_GONE_CODES: ReadonlySet<number> = new Set([106, 140, 141, 300]);

/**
 * OK's REST API as connectors use it: `fb.do` with the method as a parameter, every call signed,
 * the session token sent beside the signature (never in a message), errors arriving with HTTP 200
 * as `{error_code, error_msg}` mapped to typed errors, each call within the token's budget.
 */
export class OkApi {
  constructor(
    private readonly o: OkTransport,
    private readonly env: ConnectorEnvironment,
    private readonly sourceId: string,
  ) {}

  private credentials(): { key: string; secret: string; token: string } {
    const key = this.env.secret('OK_APPLICATION_KEY');
    const secret = this.env.secret('OK_APPLICATION_SECRET_KEY');
    const token = this.env.secret('OK_ACCESS_TOKEN');
    if (!key || !secret || !token) {
      const missing = [!key && 'OK_APPLICATION_KEY', !secret && 'OK_APPLICATION_SECRET_KEY', !token && 'OK_ACCESS_TOKEN'].filter(Boolean).join(', ');
      throw new OtklikError('PLATFORM_AUTH_FAILED', `source ${this.sourceId}: ${missing} not set`);
    }
    return { key, secret, token };
  }

  async call(method: string, params: Record<string, string | number | boolean>): Promise<unknown> {
    const c = this.credentials();
    const where = `ok ${method} (source ${this.sourceId})`;
    const signed: Record<string, string> = { application_key: c.key, format: 'json', method };
    for (const [k, v] of Object.entries(params)) signed[k] = String(v);
    const form = new URLSearchParams(signed);
    form.set('sig', okSign(signed, c.token, c.secret));
    form.set('access_token', c.token);
    const { status, json, text } = await withinBudget(this.env, c.token, this.o.requestsPerSecond, () =>
      postToPlatform({
        platform: 'ok',
        where,
        url: `${this.o.apiUrl.replace(/\/$/, '')}/fb.do`,
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        timeoutMs: this.o.timeoutMs,
        ...(this.env.http ? { dispatcher: this.env.http } : {}),
      }),
    );
    const failed = okErrorBody.safeParse(json);
    if (failed.success) throw okError(failed.data.error_code, failed.data.error_msg, where);
    if (status >= 400) throw new OtklikError('PLATFORM_RESPONSE_INVALID', `${where}: HTTP ${status} without an OK error body`, { details: { platform: 'ok', status, raw: text.slice(0, 2000) } });
    return json;
  }

  parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, method: string): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new OtklikError('PLATFORM_RESPONSE_INVALID', `ok ${method} (source ${this.sourceId}): unexpected response at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, {
      details: { platform: 'ok', raw: JSON.stringify(value ?? null).slice(0, 2000) },
    });
  }
}
