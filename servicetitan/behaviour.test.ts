import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FetchLike, keepAliveFetch } from './fetch.js';
import {
  clearTokenCache,
  createServiceTitanClient,
  resetRateLimiters,
  type ServiceTitanClient,
  type ServiceTitanClientOptions,
  ServiceTitanError,
} from './index.js';
import { SANDBOX_TENANT, SEED_IDS } from './sandbox/seed.js';
import { startSandbox } from './sandbox/server.js';

// The client's behaviour against the sandbox over real HTTP: tokens, rate limits, failure
// classification, paging, searches and the invoice arithmetic the product depends on.

const ids = SEED_IDS;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

async function control(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`/_sandbox/${path} answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

async function requestCount(route: string): Promise<number> {
  const stats = (await control('requests')) as { byRoute: Record<string, number> };
  return stats.byRoute[route] ?? 0;
}

function client(
  overrides: Record<string, unknown> = {},
  options: ServiceTitanClientOptions = {},
): ServiceTitanClient {
  return createServiceTitanClient(
    { environment: 'sandbox', baseUrl: sandbox.url, ...SANDBOX_TENANT, ...overrides },
    options,
  );
}

const money = (value: string | null | undefined) => Number(value ?? Number.NaN).toFixed(2);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await control('reset', {});
  await control('faults', {});
  clearTokenCache();
  resetRateLimiters();
});

describe('tokens', () => {
  it('requests one token for 50 parallel calls', async () => {
    const st = client();
    await Promise.all(Array.from({ length: 50 }, () => st.settings.tagTypes.list()));
    expect(await requestCount('POST /connect/token')).toBe(1);
    expect(await requestCount('GET /settings/v2/tenant/{tenant}/tag-types')).toBe(50);
  });

  it('gets a new token before the old one expires', async () => {
    await control('config', { tokenLifetimeSeconds: 2 });
    try {
      const st = client();
      await st.settings.tagTypes.list();
      await new Promise((resolve) => setTimeout(resolve, 1700));
      await st.settings.tagTypes.list();
      expect(await requestCount('POST /connect/token')).toBe(2);
    } finally {
      await control('config', { tokenLifetimeSeconds: 900 });
    }
  });

  it('answers a 401 by refreshing the token and retrying once', async () => {
    // The first API call goes out with a token the sandbox never issued (as after a revocation).
    let tampered = false;
    const tamper: FetchLike = (url, init) => {
      if (!tampered && !url.endsWith('/connect/token')) {
        tampered = true;
        return keepAliveFetch(url, {
          ...init,
          headers: { ...init.headers, authorization: 'Bearer revoked' },
        });
      }
      return keepAliveFetch(url, init);
    };
    const st = client({}, { fetch: tamper });
    const campaigns = await st.marketing.campaigns.listAll();
    expect(campaigns.length).toBeGreaterThan(0);
    expect(await requestCount('POST /connect/token')).toBe(2);
    expect(await requestCount('GET /marketing/v2/tenant/{tenant}/campaigns')).toBe(2);
  });

  it('reports wrong credentials permanently, saying what to check', async () => {
    const error = await client({ clientSecret: 'wrong' })
      .checkConnection()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTitanError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'invalid-credentials' });
    expect((error as ServiceTitanError).plainMessage).toMatch(/client id and client secret/);
  });

  it('reports a wrong app key permanently after one refresh', async () => {
    const error = await client({ appKey: 'not-our-app' })
      .settings.tagTypes.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', code: 'unauthorized', status: 401 });
  });
});

describe('rate limits', () => {
  it('waits out 429s using Retry-After and completes every call', async () => {
    await control('config', { rateLimitPerSecond: 3 });
    try {
      // Our own limiter allows more than the sandbox, so the sandbox has to push back.
      const st = client({ rateLimitPerSecond: 50 });
      const results = await Promise.all(Array.from({ length: 8 }, () => st.settings.technicians.list()));
      expect(results).toHaveLength(8);
      expect(st.rateLimiter.stats().pauses).toBeGreaterThan(0);
      expect(await requestCount('GET /settings/v2/tenant/{tenant}/technicians')).toBeGreaterThan(8);
    } finally {
      await control('config', { rateLimitPerSecond: 60 });
    }
  });

  it('surfaces a transient error carrying Retry-After when told not to wait', async () => {
    await control('config', { rateLimitPerSecond: 1 });
    try {
      const st = client({ rateLimitPerSecond: 50 }, { maxRateLimitRetries: 0 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => st.settings.technicians.list()),
      );
      const rejected = outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => (o as PromiseRejectedResult).reason);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected[0]).toMatchObject({ kind: 'transient', code: 'rate-limited', status: 429 });
      expect((rejected[0] as ServiceTitanError).retryAfterMs).toBeGreaterThan(0);
    } finally {
      await control('config', { rateLimitPerSecond: 60 });
    }
  });

  it('keeps to its budget: never more than the limit within one second, and no 429s', async () => {
    const st = client({ rateLimitPerSecond: 20 });
    await Promise.all(Array.from({ length: 45 }, () => st.settings.tagTypes.list()));
    const stats = st.rateLimiter.stats();
    expect(stats.granted).toBe(45);
    expect(stats.maxInWindow).toBeLessThanOrEqual(20);
    expect(stats.pauses).toBe(0);
    expect(await requestCount('GET /settings/v2/tenant/{tenant}/tag-types')).toBe(45);
  });

  it('shares one budget between clients of the same app and tenant', () => {
    expect(client().rateLimiter).toBe(client().rateLimiter);
  });
});

describe('failure classification', () => {
  it('a 503 is transient', async () => {
    await control('faults', { rules: [{ pathPrefix: '/settings/v2', mode: 'error', rate: 1, status: 503 }] });
    const error = await client()
      .settings.businessUnits.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 'server-error', status: 503 });
  });

  it('a 400 is permanent and keeps the error body', async () => {
    await control('faults', { rules: [{ pathPrefix: '/settings/v2', mode: 'error', rate: 1, status: 400 }] });
    const error = (await client()
      .settings.businessUnits.list()
      .catch((e: unknown) => e)) as ServiceTitanError;
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(error.plainMessage).toMatch(/^ServiceTitan rejected the business units/);
  });

  it('a dropped connection after the work is done is a transient network error, and the work is findable', async () => {
    await control('faults', {
      rules: [
        {
          method: 'POST',
          pathPrefix: '/crm/v2/tenant/1000001/customers',
          mode: 'commit-then-error',
          rate: 1,
          status: 0,
        },
      ],
    });
    const st = client();
    const marker = randomUUID();
    const error = await st.crm.customers
      .create({
        name: 'Lost Response',
        address: { street: '9 Drop St', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
        locations: [
          {
            name: 'Lost Response',
            address: { street: '9 Drop St', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
          },
        ],
        externalData: st.externalDataFor('orderId', marker),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 'network' });
    await control('faults', {});
    expect((await st.crm.customers.findByExternalData('orderId', marker)).map((c) => c.name)).toEqual([
      'Lost Response',
    ]);
  });

  it('a missing record is permanent not-found with a plain message', async () => {
    const error = (await client()
      .crm.customers.get(999_999)
      .catch((e: unknown) => e)) as ServiceTitanError;
    expect(error).toMatchObject({ kind: 'permanent', code: 'not-found', status: 404 });
    expect(error.plainMessage).toMatch(/^ServiceTitan could not find customer 999999/);
  });

  it('a job with an inactive business unit is rejected, naming the field', async () => {
    const error = (await client()
      .jpm.jobs.create({
        customerId: ids.customers.janeDoe,
        locationId: ids.locations.janeDoe,
        businessUnitId: ids.businessUnits.inactiveElectrical,
        jobTypeId: ids.jobTypes.filterDelivery,
        campaignId: ids.campaigns.contractorCommerce,
        appointments: [{ start: '2026-12-10T14:00:00Z', end: '2026-12-10T16:00:00Z' }],
      })
      .catch((e: unknown) => e)) as ServiceTitanError;
    expect(error).toMatchObject({ kind: 'permanent', code: 'validation', status: 400 });
    expect(error.plainMessage).toMatch(/^ServiceTitan rejected the job: businessUnitId — .*inactive/i);
  });
});

describe('lists and searches', () => {
  it('pages through results until hasMore is false', async () => {
    const st = client();
    const first = await st.crm.customers.list({ active: 'Any', pageSize: 2 });
    expect(first).toMatchObject({ page: 1, pageSize: 2, hasMore: true });
    const all = await st.crm.customers.listAll({ active: 'Any' }, { pageSize: 2 });
    expect(all.map((c) => c.id)).toEqual(Object.values(ids.customers).sort((a, b) => a - b));
    expect(await requestCount('GET /crm/v2/tenant/{tenant}/customers')).toBe(1 + Math.ceil(all.length / 2));
  });

  it('finds a customer by phone whatever the format', async () => {
    const st = client();
    for (const phone of ['(512) 555-0142', '512.555.0142', '+1 512-555-0142', '5125550142']) {
      const page = await st.crm.customers.list({ phone });
      expect(
        page.data.map((c) => c.id),
        phone,
      ).toEqual([ids.customers.janeDoe]);
    }
  });

  it('scopes externalData to the application GUID', async () => {
    const ours = client();
    const theirs = client({ applicationGuid: '00000000-1111-4222-8333-444444444444' });
    const marker = randomUUID();
    const address = { street: '5 Guid Ln', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };
    const created = await ours.crm.customers.create({
      name: 'Guid Scoped',
      address,
      locations: [{ name: 'Guid Scoped', address }],
      externalData: ours.externalDataFor('orderId', marker),
    });
    expect((await ours.crm.customers.findByExternalData('orderId', marker)).map((c) => c.id)).toEqual([
      created.id,
    ]);
    expect(await theirs.crm.customers.findByExternalData('orderId', marker)).toEqual([]);
  });

  it('finds a pricebook item by its exact code only', async () => {
    const st = client();
    const found = await st.pricebook.materials.findByCode('mat-filter-generic');
    expect(found.map((m) => m.id)).toEqual([ids.pricebook.genericFilterMaterial]);
    expect(await st.pricebook.materials.findByCode('MAT-FILTER')).toEqual([]);
  });
});

describe('job → invoice → payments', () => {
  it('recomputes the invoice from its items and reduces the balance with each payment', async () => {
    const st = client();
    const job = await st.jpm.jobs.create({
      customerId: ids.customers.janeDoe,
      locationId: ids.locations.janeDoe,
      businessUnitId: ids.businessUnits.hvac,
      jobTypeId: ids.jobTypes.filterDelivery,
      campaignId: ids.campaigns.contractorCommerce,
      appointments: [
        { start: '2026-12-10T14:00:00Z', end: '2026-12-10T16:00:00Z', technicianIds: [ids.technicians.alex] },
      ],
    });
    const invoiceId = job.invoiceId ?? 0;
    const empty = await st.accounting.invoices.getById(invoiceId);
    expect(money(empty?.total)).toBe('0.00');

    await st.accounting.invoices.patchItem(invoiceId, {
      skuId: ids.pricebook.genericFilterMaterial,
      description: 'Pleated filter',
      quantity: 2,
      unitPrice: '24.99',
    });
    await st.accounting.invoices.patchItem(invoiceId, {
      skuId: ids.pricebook.diagnosticService,
      description: 'Diagnostic visit',
      quantity: 1,
      unitPrice: '89.00',
    });
    const invoice = await st.accounting.invoices.getById(invoiceId);
    expect(invoice?.items.map((i) => money(i.total))).toEqual(['49.98', '89.00']);
    expect(money(invoice?.subTotal)).toBe('138.98');
    const total = Number(invoice?.subTotal) + Number(invoice?.salesTax ?? 0);
    expect(money(invoice?.total)).toBe(total.toFixed(2));
    expect(money(invoice?.balance)).toBe(total.toFixed(2));

    await st.accounting.payments.create({
      typeId: ids.paymentTypes.contractorCommerce,
      splits: [{ invoiceId, amount: '38.98' }],
    });
    expect(money((await st.accounting.invoices.getById(invoiceId))?.balance)).toBe(
      (total - 38.98).toFixed(2),
    );

    await st.accounting.payments.create({
      typeId: ids.paymentTypes.contractorCommerce,
      splits: [{ invoiceId, amount: (total - 38.98).toFixed(2) }],
    });
    expect(money((await st.accounting.invoices.getById(invoiceId))?.balance)).toBe('0.00');

    const payments = await st.accounting.payments.listByInvoices([invoiceId]);
    expect(payments.map((p) => money(p.total)).sort()).toEqual(['38.98', (total - 38.98).toFixed(2)].sort());
  });
});
