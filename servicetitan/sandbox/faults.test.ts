import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from './seed.js';
import type { RunningSandbox } from './server.js';
import { appointment, SandboxTestClient, startTestSandbox } from './test-helpers.js';

let sandbox: RunningSandbox;
let st: SandboxTestClient;

beforeAll(async () => {
  ({ sandbox, st } = await startTestSandbox({ rateLimitPerSecond: 100_000 }));
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await st.control('POST', '/reset');
  await st.control('POST', '/config', { rateLimitPerSecond: 100_000 });
});

const CUSTOMERS = '/crm/v2/tenant/{tenant}/customers';
const address = { street: '5 Fault Ln', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };
const newCustomer = (name: string) => ({ name, address, locations: [{ name, address }] });

async function countByName(name: string): Promise<number> {
  const res = await st.get<{ data: unknown[] }>(`${CUSTOMERS}?name=${encodeURIComponent(name)}`);
  return res.body.data.length;
}

async function setFaults(body: unknown): Promise<void> {
  const res = await st.control('POST', '/faults', body);
  expect(res.status, res.text).toBe(200);
}

describe('fault injection', () => {
  it('error: answers the status without doing the work', async () => {
    await setFaults({
      rules: [
        {
          method: 'POST',
          pathPrefix: '/crm/v2/tenant/{tenant}/customers',
          mode: 'error',
          rate: 1,
          status: 502,
        },
      ],
    });
    const res = await st.post(CUSTOMERS, newCustomer('Never Created'));
    expect(res.status).toBe(502);
    await setFaults({});
    expect(await countByName('Never Created')).toBe(0);
  });

  it('error: defaults to 503 and matches a path with the tenant id written out', async () => {
    await setFaults({
      rules: [{ pathPrefix: `/crm/v2/tenant/${st.tenantId}/customers`, mode: 'error', rate: 1 }],
    });
    expect((await st.get(CUSTOMERS)).status).toBe(503);
    expect((await st.get('/crm/v2/tenant/{tenant}/locations')).status).toBe(200);
  });

  it('commit-then-error: does the work, then answers the status', async () => {
    await setFaults({
      rules: [{ method: 'POST', pathPrefix: '/crm/', mode: 'commit-then-error', rate: 1, status: 500 }],
    });
    const res = await st.post(CUSTOMERS, newCustomer('Saved But 500'));
    expect(res.status).toBe(500);
    await setFaults({});
    expect(await countByName('Saved But 500')).toBe(1);
  });

  it('commit-then-error without a status: does the work, then drops the connection', async () => {
    await setFaults({
      rules: [{ method: 'POST', pathPrefix: CUSTOMERS, mode: 'commit-then-error', rate: 1 }],
    });
    await expect(st.post(CUSTOMERS, newCustomer('Lost Response'))).rejects.toThrow();
    await setFaults({});
    expect(await countByName('Lost Response')).toBe(1);
  });

  it('latency: delays matching calls only', async () => {
    await setFaults({
      rules: [{ method: 'GET', pathPrefix: '/settings/', mode: 'latency', rate: 1, latencyMs: 300 }],
    });
    let started = Date.now();
    await st.get('/settings/v2/tenant/{tenant}/business-units');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await st.get('/marketing/v2/tenant/{tenant}/campaigns');
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('latencyMs at the top level slows every ST call', async () => {
    await setFaults({ latencyMs: 200 });
    const started = Date.now();
    await st.get('/marketing/v2/tenant/{tenant}/campaigns');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('ignore-unit-price: appended invoice items land at $0', async () => {
    const job = await st.post<{ invoiceId: number }>('/jpm/v2/tenant/{tenant}/jobs', {
      customerId: SEED_IDS.customers.janeDoe,
      locationId: SEED_IDS.locations.janeDoe,
      businessUnitId: SEED_IDS.businessUnits.hvac,
      jobTypeId: SEED_IDS.jobTypes.filterDelivery,
      priority: 'Normal',
      campaignId: SEED_IDS.campaigns.contractorCommerce,
      appointments: [appointment()],
    });
    await setFaults({ rules: [{ mode: 'ignore-unit-price', rate: 1 }] });
    const item = {
      skuId: SEED_IDS.pricebook.onlineStoreEquipment,
      description: 'Filter',
      quantity: 2,
      unitPrice: 24.99,
    };
    expect(
      (await st.patch(`/accounting/v2/tenant/{tenant}/invoices/${job.body.invoiceId}/items`, item)).status,
    ).toBe(200);
    const inv = await st.get<{ data: { total: string; items: { price: string }[] }[] }>(
      `/accounting/v2/tenant/{tenant}/invoices?ids=${job.body.invoiceId}`,
    );
    expect(inv.body.data[0]?.items[0]?.price).toBe('0.00');
    expect(inv.body.data[0]?.total).toBe('0.00');
  });

  it('a rule with rate 0 never fires; {} clears all rules', async () => {
    await setFaults({ rules: [{ mode: 'error', rate: 0 }] });
    expect((await st.get(CUSTOMERS)).status).toBe(200);
    await setFaults({ rules: [{ mode: 'error', rate: 1 }] });
    expect((await st.get(CUSTOMERS)).status).toBe(503);
    await setFaults({});
    expect((await st.get(CUSTOMERS)).status).toBe(200);
  });

  it('a rule with rate 0.5 fails some calls and not others', async () => {
    await setFaults({ rules: [{ method: 'GET', pathPrefix: '/marketing/', mode: 'error', rate: 0.5 }] });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => st.get('/marketing/v2/tenant/{tenant}/campaigns')),
    );
    const failed = statuses.filter((r) => r.status === 503).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(55);
  });

  it('refuses an unknown fault mode', async () => {
    expect((await st.control('POST', '/faults', { rules: [{ mode: 'explode', rate: 1 }] })).status).toBe(400);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once the per-second limit is used up, then recovers', async () => {
    await setFaults({ rateLimitPerSecond: 5 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => st.get('/settings/v2/tenant/{tenant}/tag-types')),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(limited).toHaveLength(3);
    for (const r of limited) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(r.body).toMatchObject({ status: 429 });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await st.get('/settings/v2/tenant/{tenant}/tag-types')).status).toBe(200);
  });

  it('counts each (app key, tenant) separately', async () => {
    await st.control('POST', '/tenants', {
      tenantId: 3000003,
      clientId: 'rl-client',
      clientSecret: 'rl-secret',
    });
    await setFaults({ rateLimitPerSecond: 2 });
    const other = new SandboxTestClient(st.url, {
      tenantId: 3000003,
      clientId: 'rl-client',
      clientSecret: 'rl-secret',
      appKey: 'sandbox-app-key',
    });
    await other.accessToken();
    const mine = await Promise.all([1, 2, 3].map(() => st.get('/settings/v2/tenant/{tenant}/tag-types')));
    const theirs = await Promise.all([1, 2].map(() => other.get('/settings/v2/tenant/{tenant}/tag-types')));
    expect(mine.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    expect(theirs.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('request counting and reset', () => {
  it('counts calls per route template since the last reset, token calls included', async () => {
    st.forgetToken();
    await st.get(`${CUSTOMERS}/${SEED_IDS.customers.janeDoe}`);
    await st.get(`${CUSTOMERS}/${SEED_IDS.customers.mariaGarcia}`);
    await st.post(CUSTOMERS, newCustomer('Counted'));
    const res = await st.control<{ total: number; byRoute: Record<string, number> }>('GET', '/requests');
    expect(res.body).toEqual({
      total: 4,
      byRoute: {
        'GET /crm/v2/tenant/{tenant}/customers/{id}': 2,
        'POST /connect/token': 1,
        'POST /crm/v2/tenant/{tenant}/customers': 1,
      },
    });
  });

  it('reset restores the seed and clears faults and counts', async () => {
    await st.post(CUSTOMERS, newCustomer('Temporary'));
    await st.control('PATCH', `/entities/campaigns/${SEED_IDS.campaigns.contractorCommerce}`, {
      active: false,
    });
    await setFaults({ rules: [{ method: 'DELETE', mode: 'error', rate: 1 }] });
    await st.control('POST', '/reset');
    expect(await countByName('Temporary')).toBe(0);
    const campaign = await st.get<{ active: boolean }>(
      `/marketing/v2/tenant/{tenant}/campaigns/${SEED_IDS.campaigns.contractorCommerce}`,
    );
    expect(campaign.body.active).toBe(true);
    expect((await st.control<{ rules: unknown[] }>('GET', '/faults')).body.rules).toEqual([]);
    // Only the two reads since the reset are counted.
    expect((await st.control<{ total: number }>('GET', '/requests')).body.total).toBe(2);
  });

  it('PATCH /_sandbox/entities refuses unknown collections and fields', async () => {
    expect((await st.control('PATCH', '/entities/widgets/1', { active: false })).status).toBe(404);
    expect(
      (await st.control('PATCH', `/entities/campaigns/${SEED_IDS.campaigns.googleAds}`, { actve: false }))
        .status,
    ).toBe(400);
    expect((await st.control('PATCH', '/entities/campaigns/999', { active: false })).status).toBe(404);
  });

  it('lists the implemented operations', async () => {
    const res = await st.control<{ operations: string[] }>('GET', '/routes');
    expect(res.body.operations).toContain('POST /jpm/v2/tenant/{tenant}/jobs');
    expect(res.body.operations).toContain('PATCH /accounting/v2/tenant/{tenant}/invoices/{invoiceId}/items');
  });
});
