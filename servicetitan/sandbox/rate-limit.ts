// ServiceTitan allows 60 requests per second per (application, tenant). The sandbox enforces it with
// a sliding one-second window: a request is refused while `limit` requests were admitted in the last
// second, and Retry-After says when the oldest of them leaves the window (whole seconds, at least 1).

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 1000;

export class SlidingWindowRateLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limit: () => number) {}

  check(key: string, now = Date.now()): RateVerdict {
    const limit = this.limit();
    let times = this.admitted.get(key);
    if (!times) {
      times = [];
      this.admitted.set(key, times);
    }
    let expired = 0;
    while (expired < times.length && (times[expired] ?? 0) <= now - WINDOW_MS) expired += 1;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= limit) {
      const oldest = times[0] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    times.push(now);
    return { allowed: true };
  }

  reset(): void {
    this.admitted.clear();
  }
}
