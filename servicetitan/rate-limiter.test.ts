import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, getRateLimiter, RateLimiter, resetRateLimiters } from './rate-limiter.js';

/** A clock that only moves when someone sleeps: the limiter's accounting without real waiting. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

afterEach(() => resetRateLimiters());

describe('RateLimiter', () => {
  it('never grants more than the limit within any one-second window', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    const started = clock.now();
    await Promise.all(Array.from({ length: 35 }, () => limiter.acquire()));
    const stats = limiter.stats();
    expect(stats.granted).toBe(35);
    expect(stats.maxInWindow).toBe(10);
    // 35 permits at 10/s: the last ten wait for three full windows to pass.
    expect(clock.now() - started).toBe(3000);
  });

  it('grants at once while under the limit', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(60, clock);
    await Promise.all(Array.from({ length: 60 }, () => limiter.acquire()));
    expect(clock.slept).toEqual([]);
  });

  it('grants permits in the order they were asked for', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2, clock);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('pauses every caller for the Retry-After time', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(100, clock);
    await limiter.acquire();
    limiter.pause(2500);
    const before = clock.now();
    await limiter.acquire();
    expect(clock.now() - before).toBe(2500);
    expect(limiter.stats().pauses).toBe(1);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});

describe('getRateLimiter', () => {
  it('shares one limiter per (app key, tenant)', () => {
    const a = getRateLimiter('app', 1, 60);
    expect(getRateLimiter('app', 1, 60)).toBe(a);
    expect(getRateLimiter('app', 2, 60)).not.toBe(a);
    expect(getRateLimiter('other-app', 1, 60)).not.toBe(a);
  });

  it('applies the latest configured limit to the shared limiter', () => {
    const a = getRateLimiter('app', 1, 60);
    getRateLimiter('app', 1, 20);
    expect(a.stats().limit).toBe(20);
  });
});
