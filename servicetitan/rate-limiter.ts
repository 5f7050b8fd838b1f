/** Time source, injectable so tests can check the accounting without waiting on real clocks. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterStats {
  /** Permits handed out since creation. */
  granted: number;
  /** The most permits ever granted within one window (must never exceed `limit`). */
  maxInWindow: number;
  /** Times `pause()` was called (one per 429 honoured). */
  pauses: number;
  /** Callers currently waiting. */
  waiting: number;
  limit: number;
  windowMs: number;
}

/**
 * A sliding-window limiter: at most `limit` permits in any `windowMs` interval, granted in FIFO
 * order. A sliding window (not a token bucket) because a bucket allows a full burst on top of a
 * full refill (up to 2× the limit within one second), and ServiceTitan does not say how it counts.
 */
export class RateLimiter {
  /** Grant times, oldest first; never longer than `limit`. */
  private readonly grants: number[] = [];
  private readonly queue: Array<() => void> = [];
  private pumping = false;
  private pausedUntil = 0;
  private granted = 0;
  private maxInWindow = 0;
  private pauses = 0;

  constructor(
    private limit: number,
    private readonly clock: Clock = systemClock,
    readonly windowMs = 1000,
  ) {
    if (!(limit > 0)) throw new RangeError(`rate limit must be positive, got ${limit}`);
  }

  /** Waits for a permit to make one request. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      void this.pump();
    });
  }

  /**
   * Stops granting permits for `ms` (ServiceTitan's `Retry-After`): everyone sharing this
   * (app key, tenant) backs off, not just the caller that got the 429.
   */
  pause(ms: number): void {
    this.pauses += 1;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + Math.max(0, ms));
  }

  /** Changes the limit (a later client for the same app and tenant configured another one). */
  setLimit(limit: number): void {
    if (!(limit > 0)) throw new RangeError(`rate limit must be positive, got ${limit}`);
    this.limit = limit;
  }

  get currentLimit(): number {
    return this.limit;
  }

  stats(): RateLimiterStats {
    return {
      granted: this.granted,
      maxInWindow: this.maxInWindow,
      pauses: this.pauses,
      waiting: this.queue.length,
      limit: this.limit,
      windowMs: this.windowMs,
    };
  }

  /** One loop hands out permits in order, sleeping exactly until the next one is available. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const wait = this.waitTime();
        if (wait > 0) {
          await this.clock.sleep(wait);
          continue;
        }
        const now = this.clock.now();
        this.grants.push(now);
        this.granted += 1;
        this.maxInWindow = Math.max(this.maxInWindow, this.countInWindow(now));
        this.queue.shift()?.();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Milliseconds until a permit may be granted. */
  private waitTime(): number {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    // Drop grants that have left the window; the oldest remaining one bounds the wait.
    while (this.grants.length > 0 && (this.grants[0] ?? 0) <= now - this.windowMs) this.grants.shift();
    const limit = Math.max(1, Math.floor(this.limit));
    if (this.grants.length < limit) return 0;
    const oldest = this.grants[this.grants.length - limit] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  private countInWindow(now: number): number {
    let count = 0;
    for (let i = this.grants.length - 1; i >= 0; i -= 1) {
      if ((this.grants[i] ?? 0) <= now - this.windowMs) break;
      count += 1;
    }
    return count;
  }
}

/**
 * Counted on our side over a slightly longer window than ServiceTitan's second: a request granted at
 * the very end of one window can arrive after another granted at the start of the next, and a 429
 * costs a whole `Retry-After` pause for everyone. 50 ms gives up about 5% of the budget to avoid that.
 */
export const RATE_WINDOW_SAFETY_MS = 50;

/**
 * Process-wide registry, one limiter per (app key, tenant): that is how ServiceTitan counts, so every
 * client and activity in the worker must draw from the same budget.
 */
const limiters = new Map<string, RateLimiter>();

/**
 * The shared limiter for (app key, tenant). If it already exists with another limit, the new limit
 * wins (the latest configuration is the one to honour).
 */
export function getRateLimiter(
  appKey: string,
  tenantId: number,
  limitPerSecond: number,
  clock?: Clock,
): RateLimiter {
  const key = `${appKey}\n${tenantId}`;
  const existing = limiters.get(key);
  if (existing) {
    if (existing.currentLimit !== limitPerSecond) existing.setLimit(limitPerSecond);
    return existing;
  }
  const limiter = new RateLimiter(limitPerSecond, clock, 1000 + RATE_WINDOW_SAFETY_MS);
  limiters.set(key, limiter);
  return limiter;
}

/** Forgets every limiter (tests). Callers already waiting keep their old limiter. */
export function resetRateLimiters(): void {
  limiters.clear();
}
