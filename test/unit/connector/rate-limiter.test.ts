import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenRateLimiters } from '../../../src/connector/rate-limiter.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenRateLimiters', () => {
  it('lets through at most the rate per second for one token, shared by everyone using it', async () => {
    vi.useFakeTimers();
    const limiters = new TokenRateLimiters();
    const started: string[] = [];
    const call = (who: string) => limiters.schedule('token-a', 2, async () => void started.push(who));
    const all = Promise.all([call('s1'), call('s2'), call('s1'), call('s2'), call('s1')]);
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    expect(started).toHaveLength(5);
  });

  it('keeps separate budgets for separate tokens', async () => {
    vi.useFakeTimers();
    const limiters = new TokenRateLimiters();
    let n = 0;
    const calls = ['a', 'a', 'b', 'b'].map((t) => limiters.schedule(t, 2, async () => void n++));
    await vi.advanceTimersByTimeAsync(10);
    expect(n).toBe(4);
    await Promise.all(calls);
  });

  it('passes results and errors through', async () => {
    const limiters = new TokenRateLimiters();
    await expect(limiters.schedule('t', 5, async () => 42)).resolves.toBe(42);
    await expect(limiters.schedule('t', 5, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
