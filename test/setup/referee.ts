import { afterEach, expect } from 'vitest';
import { takeOffReference } from '../fixtures/referee.js';

// Every test: a fake that answered off its platform's reference (or was asked off it) fails the test.
afterEach(() => {
  expect(takeOffReference(), 'calls or answers off the platform reference').toEqual([]);
});
