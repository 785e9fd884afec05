import { describe, expect, it } from 'vitest';
import { hasPlatformTokens, loadConfig, redactUrl } from '../../../src/config/config.js';
import { OtklikError } from '../../../src/core/errors.js';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment and freezes the result', () => {
    const c = loadConfig({});
    expect(c.ENGINE_ROLE).toBe('all');
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.QUEUE_PREFIX).toBe('{otklik}');
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.HEAP_GROWTH_PERCENT).toBe(100);
    expect(Object.isFrozen(c)).toBe(true);
    expect(hasPlatformTokens(c)).toBe(false);
  });

  it('treats empty strings as unset and coerces numbers', () => {
    const c = loadConfig({ REDIS_URL: '', HTTP_PORT: '9090', VK_TOKEN: '  ' });
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.VK_TOKEN).toBeUndefined();
    expect(c.HTTP_PORT).toBe(9090);
  });

  it('lists every problem in one error', () => {
    let err: unknown;
    try {
      loadConfig({ ENGINE_ROLE: 'boss', HTTP_PORT: 'eighty', REDIS_URL: 'not a url', QUEUE_PREFIX: 'a:b' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OtklikError);
    const e = err as OtklikError;
    expect(e.code).toBe('CONFIG_INVALID');
    for (const key of ['ENGINE_ROLE', 'HTTP_PORT', 'REDIS_URL', 'QUEUE_PREFIX']) expect(e.message).toContain(key);
    expect(e.details.problems).toHaveLength(4);
  });

  it('knows when a platform token is configured', () => {
    expect(hasPlatformTokens(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }))).toBe(true);
  });

  it('masks the password of a Redis URL', () => {
    expect(redactUrl('redis://user:s3cret@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
