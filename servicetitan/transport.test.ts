import { afterEach, describe, expect, it } from 'vitest';
import { clearTokenCache, TokenProvider } from './auth.js';
import { createServiceTitanClient } from './client.js';
import { ServiceTitanError } from './errors.js';
import type { FetchInit, FetchLike, FetchResponse } from './fetch.js';
import { resetRateLimiters } from './rate-limiter.js';

// The transport (auth, http, rate limiting) against a scripted fetch: exact control over what
// "ServiceTitan" answers, no network. The same behaviours run against the sandbox in behaviour.test.ts.

interface Call {
  url: string;
  init: FetchInit;
}

type Responder = (call: Call, index: number) => FetchResponse | Promise<FetchResponse>;

function reply(status: number, body?: unknown, headers: Record<string, string> = {}): FetchResponse {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, headers: { get: (name) => lower[name.toLowerCase()] ?? null }, text: async () => text };
}

const tokenReply = (token = 'token-1', expiresIn = 900) =>
  reply(200, {
    access_token: token,
    expires_in: expiresIn,
    token_type: 'Bearer',
    scope: 'tn.crm.customers:r',
  });

/** A fetch that answers the token endpoint itself and hands every API call to `api`. */
function scriptedFetch(api: Responder, tokens: () => FetchResponse = () => tokenReply()) {
  const calls: Call[] = [];
  const apiCalls: Call[] = [];
  let tokenRequests = 0;
  const fetch: FetchLike = async (url, init) => {
    const call = { url, init };
    calls.push(call);
    if (url.endsWith('/connect/token')) {
      tokenRequests += 1;
      return tokens();
    }
    apiCalls.push(call);
    return api(call, apiCalls.length - 1);
  };
  return { fetch, calls, apiCalls, tokenRequests: () => tokenRequests };
}

const page = (data: unknown[], hasMore = false) => ({ page: 1, pageSize: 50, hasMore, data });

function client(fetch: FetchLike, extra: Record<string, unknown> = {}) {
  return createServiceTitanClient(
    {
      environment: 'integration',
      tenantId: 1000001,
      clientId: 'cid.test',
      clientSecret: 'cs1.secret',
      appKey: 'ak1.app',
      ...extra,
    },
    { fetch },
  );
}

afterEach(() => {
  clearTokenCache();
  resetRateLimiters();
});

describe('requests', () => {
  it('builds the v2 path, comma lists and repeated parameters, with bearer token and app key', async () => {
    const st = scriptedFetch(() => reply(200, page([])));
    const c = client(st.fetch);
    await c.crm.customers.list({ ids: [1, 2, 3], phone: '5125550142', active: 'Any', name: undefined });
    await c.accounting.invoices.list({ statuses: ['Pending', 'Posted'], jobId: 9 });

    const [customers, invoices] = st.apiCalls;
    expect(customers?.url).toBe(
      'https://api-integration.servicetitan.io/crm/v2/tenant/1000001/customers?ids=1%2C2%2C3&phone=5125550142&active=Any',
    );
    expect(customers?.init.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'st-app-key': 'ak1.app',
    });
    expect(invoices?.url).toContain(
      '/accounting/v2/tenant/1000001/invoices?jobId=9&statuses=Pending&statuses=Posted',
    );
  });

  it('sends the token request form-encoded to the auth host', async () => {
    const st = scriptedFetch(() => reply(200, page([])));
    await client(st.fetch).settings.tagTypes.list();
    const token = st.calls[0];
    expect(token?.url).toBe('https://auth-integration.servicetitan.io/connect/token');
    expect(token?.init.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.init.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid.test',
      client_secret: 'cs1.secret',
    });
  });

  it('sends JSON bodies and accepts an empty 200 for actions', async () => {
    const st = scriptedFetch(() => reply(200));
    await client(st.fetch).jpm.jobs.cancel(5, { reasonId: 71, memo: 'Order refunded' });
    const call = st.apiCalls[0];
    expect(call?.init.method).toBe('PUT');
    expect(call?.url).toContain('/jpm/v2/tenant/1000001/jobs/5/cancel');
    expect(call?.init.headers['content-type']).toBe('application/json');
    expect(JSON.parse(call?.init.body ?? '')).toEqual({ reasonId: 71, memo: 'Order refunded' });
  });

  it('refuses an invalid body before sending it', async () => {
    const st = scriptedFetch(() => reply(200));
    const error = await client(st.fetch)
      .accounting.invoices.patchItem(1, { description: 'x', quantity: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTitanError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'validation' });
    expect((error as ServiceTitanError).plainMessage).toContain('skuId');
    expect(st.apiCalls).toHaveLength(0);
  });
});

describe('authentication', () => {
  it('fetches one token for 50 concurrent calls', async () => {
    const st = scriptedFetch(() => reply(200, page([])));
    const c = client(st.fetch);
    await Promise.all(Array.from({ length: 50 }, () => c.settings.businessUnits.list()));
    expect(st.tokenRequests()).toBe(1);
    expect(st.apiCalls).toHaveLength(50);
  });

  it('shares the token between clients with the same credentials', async () => {
    const st = scriptedFetch(() => reply(200, page([])));
    await client(st.fetch).settings.tagTypes.list();
    await client(st.fetch).settings.tagTypes.list();
    expect(st.tokenRequests()).toBe(1);
  });

  it('refreshes the token ahead of its expiry', async () => {
    let now = 0;
    let issued = 0;
    const fetch: FetchLike = async () => {
      issued += 1;
      return tokenReply(`t${issued}`, 900);
    };
    const tokens = new TokenProvider({
      tokenUrl: 'https://auth.example/connect/token',
      clientId: 'c',
      clientSecret: 's',
      tenantId: 1,
      fetch,
      timeoutMs: 1000,
      now: () => now,
    });
    expect(await tokens.getToken()).toBe('t1');
    now = 839_000; // 61 s before expiry: still good
    expect(await tokens.getToken()).toBe('t1');
    now = 841_000; // inside the 60 s margin: refresh
    expect(await tokens.getToken()).toBe('t2');
  });

  it('answers 401 by refreshing the token and retrying once', async () => {
    let tokenCount = 0;
    const st = scriptedFetch(
      (call) => (call.init.headers.authorization === 'Bearer stale' ? reply(401) : reply(200, page([]))),
      () => tokenReply(tokenCount++ === 0 ? 'stale' : 'fresh'),
    );
    await client(st.fetch).marketing.campaigns.list();
    expect(st.apiCalls.map((c) => c.init.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(st.tokenRequests()).toBe(2);
  });

  it('gives up with a permanent error when the fresh token is refused too', async () => {
    const st = scriptedFetch(() => reply(401, 'Application key not present, check ST-App-Key header value.'));
    const error = await client(st.fetch)
      .marketing.campaigns.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', code: 'unauthorized', status: 401 });
    expect(st.apiCalls).toHaveLength(2);
  });

  it('reports invalid_client as wrong credentials', async () => {
    const st = scriptedFetch(
      () => reply(200, page([])),
      () => reply(400, { error: 'invalid_client' }),
    );
    const error = await client(st.fetch)
      .checkConnection()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTitanError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'invalid-credentials' });
    expect((error as ServiceTitanError).plainMessage).toMatch(/check the client id and client secret/);
  });
});

describe('failures', () => {
  it('waits out a 429 on the shared limiter and retries', async () => {
    const st = scriptedFetch((_, index) =>
      index === 0 ? reply(429, undefined, { 'Retry-After': '0.05' }) : reply(200, page([])),
    );
    const c = client(st.fetch);
    await c.settings.technicians.list();
    expect(st.apiCalls).toHaveLength(2);
    expect(c.rateLimiter.stats().pauses).toBe(1);
  });

  it('throws a transient error with Retry-After when 429s persist', async () => {
    const st = scriptedFetch(() => reply(429, undefined, { 'Retry-After': '0' }));
    const c = createServiceTitanClient(
      { environment: 'integration', tenantId: 7, clientId: 'a', clientSecret: 'b', appKey: 'k' },
      { fetch: st.fetch, maxRateLimitRetries: 1 },
    );
    const error = await c.settings.technicians.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 'rate-limited', status: 429, retryAfterMs: 0 });
    expect(st.apiCalls).toHaveLength(2);
  });

  it('classifies 5xx as transient and 4xx as permanent, keeping the error body', async () => {
    const body = {
      title: 'Validation',
      status: 400,
      traceId: 'tr-1',
      errors: { CampaignId: ['Campaign is required'] },
    };
    // A GET gets two quick in-place retries on a 5xx before the error surfaces.
    const st = scriptedFetch((_, index) =>
      index <= 2 ? reply(503, 'Service Unavailable') : reply(400, body),
    );
    const c = client(st.fetch);
    await expect(c.jpm.jobTypes.list()).rejects.toMatchObject({
      kind: 'transient',
      code: 'server-error',
      status: 503,
    });
    const error = (await c.jpm.jobTypes.list().catch((e: unknown) => e)) as ServiceTitanError;
    expect(error).toMatchObject({ kind: 'permanent', code: 'validation', status: 400 });
    expect(error.body?.traceId).toBe('tr-1');
    expect(error.plainMessage).toBe(
      'ServiceTitan rejected the job types: CampaignId — Campaign is required (trace tr-1)',
    );
  });

  it('retries a read answered with a server error in place, and never a write', async () => {
    const reads = scriptedFetch((_, index) =>
      index === 0
        ? reply(502, 'Bad Gateway')
        : reply(200, { page: 1, pageSize: 50, hasMore: false, data: [] }),
    );
    await expect(client(reads.fetch).jpm.jobTypes.list()).resolves.toMatchObject({ data: [] });
    expect(reads.apiCalls).toHaveLength(2);

    const writes = scriptedFetch(() => reply(503, 'Service Unavailable'));
    await expect(client(writes.fetch).jpm.jobs.cancel(1, { reasonId: 2, memo: 'x' })).rejects.toMatchObject({
      kind: 'transient',
      status: 503,
    });
    expect(writes.apiCalls).toHaveLength(1);
  });

  it('times out every call and calls it transient', async () => {
    const st = scriptedFetch(
      (call) =>
        new Promise((_, reject) => {
          call.init.signal.addEventListener('abort', () => reject(call.init.signal.reason));
        }),
    );
    const error = await client(st.fetch, { requestTimeoutMs: 50 })
      .jpm.jobs.create({
        customerId: 1,
        locationId: 2,
        businessUnitId: 3,
        jobTypeId: 4,
        campaignId: 5,
        appointments: [{ start: '2026-12-10T14:00:00Z', end: '2026-12-10T16:00:00Z' }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 'timeout' });
    // A create is never retried here: it may have taken effect.
    expect(st.apiCalls).toHaveLength(1);
  });

  it('retries a GET once after a network error, but never a write', async () => {
    const dropped = () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
    };
    const getOnce = scriptedFetch((_, index) => (index === 0 ? dropped() : reply(200, page([]))));
    await client(getOnce.fetch).settings.tagTypes.list();
    expect(getOnce.apiCalls).toHaveLength(2);

    const post = scriptedFetch(dropped);
    const error = await client(post.fetch)
      .accounting.payments.create({ typeId: 12, splits: [{ invoiceId: 1, amount: '10.00' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 'network' });
    expect(post.apiCalls).toHaveLength(1);
  });

  it('rejects a response of the wrong shape, naming the field', async () => {
    const st = scriptedFetch(() => reply(200, page([{ id: 1, name: null, active: true }])));
    const error = (await client(st.fetch)
      .settings.tagTypes.list()
      .catch((e: unknown) => e)) as ServiceTitanError;
    expect(error).toMatchObject({ kind: 'permanent', code: 'invalid-response' });
    expect(error.plainMessage).toContain('field "data.0.name"');
  });

  it('keeps unknown fields and accounting money as strings', async () => {
    const invoice = {
      id: 9,
      total: '54.10',
      balance: 0,
      items: [{ id: 1, total: '49.98', newField: 1 }],
      extra: 'x',
    };
    const st = scriptedFetch(() => reply(200, page([invoice])));
    const found = await client(st.fetch).accounting.invoices.getById(9);
    expect(found).toMatchObject({ id: 9, total: '54.10', balance: '0', extra: 'x' });
    expect(found?.items[0]).toMatchObject({ total: '49.98', newField: 1 });
  });

  it('passes the caller’s cancellation through untouched', async () => {
    const st = scriptedFetch(
      (call) =>
        new Promise((_, reject) => {
          call.init.signal.addEventListener('abort', () => reject(call.init.signal.reason));
        }),
    );
    const controller = new AbortController();
    const pending = client(st.fetch).crm.customers.get(1, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('activity cancelled')), 10);
    await expect(pending).rejects.toThrow('activity cancelled');
  });
});
