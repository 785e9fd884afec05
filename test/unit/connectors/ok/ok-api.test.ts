import { describe, expect, it } from 'vitest';
import { okSign } from '../../../../connectors/ok/ok-api.js';

describe('okSign', () => {
  it('reproduces the documented test vector (aiookru docs, platform reference 2.3)', () => {
    const token = '-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7';
    const params = { application_key: 'ABCDEFGHIGKLMNOPK', format: 'json', method: 'events.get' };
    expect(okSign(params, token, 'ABC123DEF456GHI789JKL123')).toBe('232c8eb921951c4dba9b72606f9ddb4c');
  });

  it('leaves sig and the session out, sorts keys, and signs raw UTF-8 values', () => {
    const base = { method: 'discussions.getComments', application_key: 'K', comment: 'Привет, мир & co' };
    const a = okSign(base, 'tok', 'secret');
    expect(okSign({ ...base, sig: 'whatever', access_token: 'tok', session_key: 'x' }, 'tok', 'secret')).toBe(a);
    expect(okSign({ comment: base.comment, application_key: 'K', method: base.method }, 'tok', 'secret')).toBe(a);
    expect(okSign({ ...base, comment: 'Привет' }, 'tok', 'secret')).not.toBe(a);
  });

  it('without a session the application secret is the secret', () => {
    expect(okSign({ a: '1' }, null, 's')).not.toBe(okSign({ a: '1' }, 'tok', 's'));
  });
});
