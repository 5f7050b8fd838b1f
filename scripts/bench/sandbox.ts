import { SANDBOX_TENANT } from '../../servicetitan/sandbox/seed.js';

/** The sandbox's /_sandbox control endpoints the benchmark uses (servicetitan/sandbox/README.md). */
export class SandboxControl {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/_sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /**
   * ServiceTitan-like latency with jitter: every call waits `latencyMs`; one call in five waits half
   * as long again (a long tail, as real APIs have). ST's 60 requests/second per app and tenant.
   */
  async configure(latencyMs: number): Promise<void> {
    await this.call('POST', 'config', { latencyMs, rateLimitPerSecond: 60 });
    const jitter = Math.round(latencyMs / 2);
    await this.call('POST', 'faults', {
      rules: jitter > 0 ? [{ mode: 'latency', rate: 0.2, latencyMs: jitter }] : [],
    });
  }

  /** Sandbox tenants for `count` store tenants: the seeded one, then one registered per extra tenant. */
  async tenants(count: number) {
    const out: Array<{ tenantId: number; clientId: string; clientSecret: string; appKey: string }> = [
      { ...SANDBOX_TENANT },
    ];
    for (let i = 1; i < count; i++) {
      const registration = {
        tenantId: 2_000_000 + i,
        clientId: `bench-client-${i}`,
        clientSecret: 'bench-secret',
        appKey: SANDBOX_TENANT.appKey,
      };
      await this.call('POST', 'tenants', registration);
      out.push(registration);
    }
    return out;
  }

  requests() {
    return this.call<{ total: number; byRoute: Record<string, number> }>('GET', 'requests');
  }

  clearRequests() {
    return this.call('DELETE', 'requests');
  }

  state(tenantId: number) {
    return this.call<Record<string, unknown[]>>('GET', `state?tenant=${tenantId}`);
  }
}

export type SandboxTenant = Awaited<ReturnType<SandboxControl['tenants']>>[number];

/** Calls that are not ServiceTitan API calls in the rate-limit sense (the token endpoint is not limited). */
export const isTokenRoute = (route: string) => route.includes('/connect/token');

/** Route-by-route difference of two request snapshots. */
export function diffRequests(
  before: { byRoute: Record<string, number> },
  after: { byRoute: Record<string, number> },
): { api: number; token: number; byRoute: Record<string, number> } {
  const byRoute: Record<string, number> = {};
  let api = 0;
  let token = 0;
  for (const [route, count] of Object.entries(after.byRoute)) {
    const delta = count - (before.byRoute[route] ?? 0);
    if (delta <= 0) continue;
    byRoute[route] = delta;
    if (isTokenRoute(route)) token += delta;
    else api += delta;
  }
  return { api, token, byRoute };
}
