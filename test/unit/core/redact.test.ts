import { describe, expect, it } from 'vitest';
import { urlOrigin } from '../../../src/core/redact.js';

describe('urlOrigin', () => {
  it('keeps scheme, host and port; says that more was there without saying what', () => {
    expect(urlOrigin('https://hooks.example.org/services/T0/B0/s3cr3t?token=abc')).toBe('https://hooks.example.org/…');
    expect(urlOrigin('http://user:pass@127.0.0.1:9/hook')).toBe('http://127.0.0.1:9/…');
    expect(urlOrigin('https://hooks.example.org/')).toBe('https://hooks.example.org');
    expect(urlOrigin('not a url')).toBe('(unparseable url)');
  });
});
