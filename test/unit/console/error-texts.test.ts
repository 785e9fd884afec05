import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
// The console's own module: plain ES, no browser globals at load, so it imports in Node.
// @ts-expect-error -- a browser module without types
import { KNOWN_ERROR_CODES, errorText } from '../../../console/api.js';

describe("the console's error texts", () => {
  it('every code the server can return reads in Russian, with no English words', () => {
    const missing = Object.keys(ErrorCodes).filter((code) => !(KNOWN_ERROR_CODES as string[]).includes(code));
    expect(missing).toEqual([]);
    for (const code of Object.keys(ErrorCodes)) {
      const text = (errorText as (c: string, s: number) => string)(code, 400);
      expect(text, code).toMatch(/[а-яё]/i);
      expect(text, code).not.toMatch(/\b[a-z]{3,}\b/);
    }
  });
});
