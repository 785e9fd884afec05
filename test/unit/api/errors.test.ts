import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../../src/api/errors.js';
import { OtklikError } from '../../../src/core/errors.js';

describe('errorResponse', () => {
  it('tells Redis being away from a bug by the connection, not by the wording', () => {
    const unknown = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    expect(errorResponse(unknown, { redisDown: () => true })).toMatchObject({ status: 503, body: { error: { code: 'REDIS_UNAVAILABLE' } }, level: 'warn' });
    // The same words with Redis up are a bug: 500, and nothing of the inside shown.
    expect(errorResponse(unknown, { redisDown: () => false })).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } }, level: 'error' });
    expect(errorResponse(unknown)).toMatchObject({ status: 500 });
  });

  it('keeps a client error and our typed errors as they are, Redis down or not', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(errorResponse(tooLarge, { redisDown: () => true })).toMatchObject({ status: 413, body: { error: { code: 'FST_ERR_CTP_BODY_TOO_LARGE' } } });
    expect(errorResponse(new OtklikError('NOT_FOUND', 'no incident'), { redisDown: () => true })).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });
});
