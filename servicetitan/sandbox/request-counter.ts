// Counts ServiceTitan calls per route template since the last reset, so tests and the benchmark can
// measure calls per order ("POST /crm/v2/tenant/{tenant}/customers": 1).

export class RequestCounter {
  private total = 0;
  private byRoute = new Map<string, number>();

  record(routeKey: string): void {
    this.total += 1;
    this.byRoute.set(routeKey, (this.byRoute.get(routeKey) ?? 0) + 1);
  }

  snapshot(): { total: number; byRoute: Record<string, number> } {
    const byRoute = Object.fromEntries([...this.byRoute].sort(([a], [b]) => a.localeCompare(b)));
    return { total: this.total, byRoute };
  }

  reset(): void {
    this.total = 0;
    this.byRoute = new Map();
  }
}
