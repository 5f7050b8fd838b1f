import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tenants } from '../../db/schema.js';
import { createSecretBox } from '../../db/secret-box.js';
import type { SettingsInput } from '../../domain/settings.js';
import { exampleSandboxSettings as sandboxSettings } from '../../servicetitan/sandbox/example-settings.js';
import { SANDBOX_TENANT, SEED_IDS } from '../../servicetitan/sandbox/seed.js';
import { type RunningSandbox, startSandbox } from '../../servicetitan/sandbox/server.js';
import { freshDatabase } from '../helpers/database.js';
import {
  authorized,
  createTestApp,
  delivery,
  newWebhookSecret,
  orderPaidEvent,
  type TestApp,
  uniqueTenantId,
  unreachableTemporalClient,
} from './harness.js';

// Tenants, the live drop-downs and settings validation, against the ServiceTitan sandbox over HTTP.

const secrets = createSecretBox(randomBytes(32));
let database: Awaited<ReturnType<typeof freshDatabase>>;
let sandbox: RunningSandbox;
let api: TestApp;

const put = (url: string, payload: unknown) =>
  api.app.inject(authorized({ method: 'PUT', url, payload: payload as object }));
const get = (url: string) => api.app.inject(authorized({ method: 'GET', url }));

function tenantBody(overrides: Record<string, unknown> = {}, serviceTitan: Record<string, unknown> = {}) {
  return {
    name: 'Sandbox Heating & Air',
    timeZone: 'America/Chicago',
    ...overrides,
    serviceTitan: {
      environment: 'sandbox',
      tenantId: SANDBOX_TENANT.tenantId,
      clientId: SANDBOX_TENANT.clientId,
      clientSecret: SANDBOX_TENANT.clientSecret,
      appKey: SANDBOX_TENANT.appKey,
      baseUrl: sandbox.url,
      ...serviceTitan,
    },
  };
}

async function createTenant(overrides: Record<string, unknown> = {}) {
  const tenantId = uniqueTenantId();
  const response = await put(`/api/tenants/${tenantId}`, tenantBody(overrides));
  expect(response.statusCode).toBe(201);
  return { tenantId, body: response.json() };
}

async function sandboxControl<T = unknown>(
  method: 'POST' | 'PATCH' | 'GET',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  database = await freshDatabase();
  api = await createTestApp({
    db: database.db,
    secrets,
    client: await unreachableTemporalClient(),
    taskQueue: 'unused',
  });
});

afterAll(async () => {
  await api?.close();
  await sandbox?.close();
  await database?.drop();
});

describe('bearer token', () => {
  it('refuses /api/* without the token, or with another one, with 401 and a Bearer challenge', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/api/orders' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    const wrong = await api.app.inject({
      method: 'GET',
      url: '/api/orders',
      headers: { authorization: 'Bearer not-it' },
    });
    expect(wrong.statusCode).toBe(401);
    expect((await get('/api/orders')).statusCode).toBe(200);
  });

  it('leaves /healthz, /metrics and /docs open', async () => {
    for (const url of ['/healthz', '/metrics', '/docs/json']) {
      expect((await api.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });
});

describe('PUT and GET /api/tenants/{tenantId}', () => {
  it('creates a tenant, generates a webhook secret shown once, and checks the connection', async () => {
    const { tenantId, body } = await createTenant();
    expect(body).toMatchObject({
      id: tenantId,
      timeZone: 'America/Chicago',
      serviceTitan: {
        environment: 'sandbox',
        tenantId: SANDBOX_TENANT.tenantId,
        clientId: 'sandbox-client',
        clientSecret: '[redacted]',
        appKey: '[redacted]',
      },
      webhookSecrets: { count: 1 },
      settingsConfigured: false,
      connection: { ok: true, message: 'Connected to ServiceTitan.' },
    });
    expect(body.generatedWebhookSecret).toMatch(/^whsec_/);

    // The generated secret is the one that verifies the store's deliveries.
    const accepted = await api.app.inject(
      delivery(body.generatedWebhookSecret, orderPaidEvent(tenantId, { id: 'ord_gen' })),
    );
    expect(accepted.statusCode).toBe(202);

    const shown = await get(`/api/tenants/${tenantId}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json().generatedWebhookSecret).toBeUndefined();
    expect(shown.json().connection.ok).toBe(true);
  });

  it('stores ServiceTitan credentials and webhook secrets encrypted, never as written', async () => {
    const webhookSecret = newWebhookSecret();
    const { tenantId } = await createTenant({ webhookSecret });
    const [row] = await database.db.select().from(tenants).where(eq(tenants.id, tenantId));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(SANDBOX_TENANT.clientSecret);
    expect(stored).not.toContain(SANDBOX_TENANT.appKey);
    expect(stored).not.toContain(webhookSecret.slice('whsec_'.length));
    expect(row?.stClientSecretEncrypted).toMatch(/^v1\./);
  });

  it('keeps the stored secrets when an update leaves them out', async () => {
    const { tenantId } = await createTenant();
    const update = tenantBody({ name: 'Renamed' });
    delete (update.serviceTitan as Record<string, unknown>).clientSecret;
    delete (update.serviceTitan as Record<string, unknown>).appKey;
    const response = await put(`/api/tenants/${tenantId}`, update);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Renamed',
      connection: { ok: true },
      webhookSecrets: { count: 1 },
    });
    expect(response.json().generatedWebhookSecret).toBeUndefined();
  });

  it('rotates webhook secrets: both are accepted during the rotation, only the new one after it', async () => {
    const oldSecret = newWebhookSecret();
    const newSecret = newWebhookSecret();
    const { tenantId } = await createTenant({ webhookSecret: oldSecret });
    const deliver = (secret: string, id: string) =>
      api.app.inject(delivery(secret, orderPaidEvent(tenantId, { id }))).then((r) => r.statusCode);

    expect(
      (await put(`/api/tenants/${tenantId}`, tenantBody({ webhookSecrets: [newSecret, oldSecret] }))).json()
        .webhookSecrets,
    ).toEqual({ count: 2 });
    expect([await deliver(oldSecret, 'ord_r1'), await deliver(newSecret, 'ord_r2')]).toEqual([202, 202]);
    await put(`/api/tenants/${tenantId}`, tenantBody({ webhookSecret: newSecret }));
    expect([await deliver(oldSecret, 'ord_r3'), await deliver(newSecret, 'ord_r4')]).toEqual([401, 202]);
  });

  it('saves a tenant whose credentials are wrong, and says what to fix in its connection status', async () => {
    const tenantId = uniqueTenantId();
    const response = await put(
      `/api/tenants/${tenantId}`,
      tenantBody({}, { clientSecret: 'not-the-secret' }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().connection.ok).toBe(false);
    expect(response.json().connection.message).toMatch(/client|credential|secret/i);
  });

  it('names every invalid field with 400', async () => {
    const response = await put(
      `/api/tenants/${uniqueTenantId()}`,
      tenantBody(
        { name: '', timeZone: 'Mars/Olympus_Mons', webhookSecret: 'hunter2' },
        { environment: 'staging', tenantId: 'abc' },
      ),
    );
    expect(response.statusCode).toBe(400);
    const fields = (response.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'timeZone',
        'webhookSecret',
        'serviceTitan.environment',
        'serviceTitan.tenantId',
      ]),
    );
  });

  it('requires the ServiceTitan secrets when a tenant is created, and a base URL for the sandbox environment', async () => {
    const body = tenantBody({}, { baseUrl: undefined });
    delete (body.serviceTitan as Record<string, unknown>).clientSecret;
    delete (body.serviceTitan as Record<string, unknown>).appKey;
    const response = await put(`/api/tenants/${uniqueTenantId()}`, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'serviceTitan.clientSecret', message: 'is required when the tenant is created' },
        { field: 'serviceTitan.appKey', message: 'is required when the tenant is created' },
        expect.objectContaining({ field: 'serviceTitan.baseUrl' }),
      ]),
    );
  });

  it('says ENCRYPTION_KEY is wrong when the stored secrets cannot be decrypted, and refuses webhooks with 503 meanwhile', async () => {
    const webhookSecret = newWebhookSecret();
    const { tenantId } = await createTenant({ webhookSecret });
    const otherKey = await createTestApp({
      db: database.db,
      secrets: createSecretBox(randomBytes(32)),
      client: await unreachableTemporalClient(),
      taskQueue: 'unused',
    });
    try {
      const shown = await otherKey.app.inject(authorized({ method: 'GET', url: `/api/tenants/${tenantId}` }));
      expect(shown.statusCode).toBe(500);
      expect(shown.json().detail).toMatch(/ENCRYPTION_KEY is not the key the secrets were saved with/);
      const webhook = await otherKey.app.inject(
        delivery(webhookSecret, orderPaidEvent(tenantId, { id: 'ord_key' })),
      );
      expect(webhook.statusCode).toBe(503);
    } finally {
      await otherKey.close();
    }
  });

  it('answers 404 for an unknown tenant and 400 for an id that cannot be a tenant id', async () => {
    expect((await get('/api/tenants/nobody-here')).statusCode).toBe(404);
    expect((await get('/api/tenants/has:colon')).statusCode).toBe(400);
  });
});

describe('GET /api/tenants/{tenantId}/servicetitan/options', () => {
  it('lists every drop-down live from ServiceTitan, inactive entries marked', async () => {
    const { tenantId } = await createTenant();
    const response = await get(`/api/tenants/${tenantId}/servicetitan/options`);
    expect(response.statusCode).toBe(200);
    const options = response.json();
    const find = (list: string, id: number) => options[list].find((o: { id: number }) => o.id === id);
    expect(find('businessUnits', SEED_IDS.businessUnits.hvac)).toEqual({
      id: 1,
      name: 'HVAC Service',
      active: true,
    });
    expect(find('businessUnits', SEED_IDS.businessUnits.inactiveElectrical).active).toBe(false);
    expect(find('jobTypes', SEED_IDS.jobTypes.filterDelivery)).toMatchObject({
      active: true,
      businessUnitIds: [1],
    });
    expect(find('campaigns', SEED_IDS.campaigns.contractorCommerce).name).toBe('Contractor Commerce');
    expect(find('tagTypes', SEED_IDS.tagTypes.inactiveLegacy).active).toBe(false);
    expect(find('technicians', SEED_IDS.technicians.alex)).toMatchObject({
      name: 'Alex Rivera',
      businessUnitId: 1,
    });
    expect(find('paymentTypes', SEED_IDS.paymentTypes.contractorCommerce)).toEqual({
      id: 12,
      name: 'Contractor Commerce',
      active: true,
      cash: true,
    });
    expect(find('paymentTypes', SEED_IDS.paymentTypes.inactiveGiftCard)).toMatchObject({
      active: false,
      cash: false,
    });
    expect(find('glAccounts', SEED_IDS.glAccounts.intacctProductGroup)).toMatchObject({
      isIntacctGroup: true,
      active: true,
    });
    expect(find('arrivalWindows', SEED_IDS.arrivalWindows.morning)).toMatchObject({
      active: true,
      start: '08:00:00',
    });
    expect(options.skus).toBeUndefined();
  });

  it('reuses the lists for a short while, and fetches anew with refresh=true', async () => {
    const { tenantId } = await createTenant();
    await get(`/api/tenants/${tenantId}/servicetitan/options`);
    const before = (await sandboxControl<{ total: number }>('GET', '/_sandbox/requests')).total;
    await get(`/api/tenants/${tenantId}/servicetitan/options`);
    expect((await sandboxControl<{ total: number }>('GET', '/_sandbox/requests')).total).toBe(before);
    await get(`/api/tenants/${tenantId}/servicetitan/options?refresh=true`);
    expect((await sandboxControl<{ total: number }>('GET', '/_sandbox/requests')).total).toBeGreaterThan(
      before,
    );
  });

  it('searches pricebook SKUs with sku=', async () => {
    const { tenantId } = await createTenant();
    const response = await get(`/api/tenants/${tenantId}/servicetitan/options?sku=online-store`);
    expect(response.json().skus).toEqual([
      {
        id: SEED_IDS.pricebook.onlineStoreEquipment,
        code: 'CC-ONLINE-STORE',
        name: 'Online store sale',
        active: true,
        type: 'equipment',
      },
    ]);
  });

  it('answers 502 saying what is wrong when ServiceTitan refuses the credentials', async () => {
    const tenantId = uniqueTenantId();
    await put(`/api/tenants/${tenantId}`, tenantBody({}, { clientSecret: 'not-the-secret' }));
    const response = await get(`/api/tenants/${tenantId}/servicetitan/options`);
    expect(response.statusCode).toBe(502);
    expect(response.json().detail).toMatch(/^ServiceTitan: /);
  });
});

describe('settings', () => {
  let tenantId: string;
  const settingsUrl = () => `/api/tenants/${tenantId}/settings`;
  const save = (settings: unknown) => put(settingsUrl(), settings);
  const errorsOf = async (settings: unknown) => {
    const response = await save(settings);
    expect(response.statusCode).toBe(422);
    return response.json().errors as Array<{ field: string; message: string }>;
  };
  const warningsOf = async (settings: unknown) => {
    const response = await save(settings);
    expect(response.statusCode).toBe(200);
    return response.json().warnings as Array<{ field: string; message: string }>;
  };
  const withProducts = (products: Partial<SettingsInput['products']>): SettingsInput => {
    const base = sandboxSettings();
    return { ...base, products: { ...base.products, ...products } };
  };

  beforeAll(async () => {
    ({ tenantId } = await createTenant());
  });

  afterEach(async () => {
    await sandboxControl('POST', '/_sandbox/reset');
  });

  it('answers null before any settings are saved', async () => {
    const { tenantId: fresh } = await createTenant();
    expect((await get(`/api/tenants/${fresh}/settings`)).json()).toEqual({ settings: null });
  });

  it('saves working settings with no warnings and answers them with defaults applied', async () => {
    const response = await save(sandboxSettings());
    expect(response.statusCode).toBe(200);
    expect(response.json().warnings).toEqual([]);
    expect(response.json().settings.products.job.businessUnitId).toBe(1);
    const stored = (await get(settingsUrl())).json();
    expect(stored.settings).toEqual(response.json().settings);
    expect((await get(`/api/tenants/${tenantId}`)).json().settingsConfigured).toBe(true);
  });

  it('lists every id that does not exist in ServiceTitan, and saves nothing', async () => {
    await save(sandboxSettings());
    const before = (await get(settingsUrl())).json();
    const bad = sandboxSettings();
    bad.paymentTypeId = 990;
    bad.products = {
      ...bad.products,
      job: { campaignId: 991, businessUnitId: 992, jobTypeId: 993 },
      tags: { oneTimeTagTypeId: 994, subscriptionTagTypeId: 995 },
      technicianId: 996,
    };
    const errors = await errorsOf(bad);
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        'paymentTypeId',
        'products.job.campaignId',
        'products.job.businessUnitId',
        'products.job.jobTypeId',
        'products.tags.oneTimeTagTypeId',
        'products.tags.subscriptionTagTypeId',
        'products.technicianId',
      ].sort(),
    );
    expect(errors.find((e) => e.field === 'products.job.businessUnitId')?.message).toBe(
      'Business unit 992 does not exist in this ServiceTitan tenant; choose one from the list in Products > Job information.',
    );
    expect((await get(settingsUrl())).json()).toEqual(before);
  });

  it('lists every inactive choice in plain language', async () => {
    const bad = sandboxSettings();
    bad.paymentTypeId = SEED_IDS.paymentTypes.inactiveGiftCard;
    bad.services = {
      ...bad.services,
      job: {
        campaignId: SEED_IDS.campaigns.inactiveYellowPages,
        businessUnitId: SEED_IDS.businessUnits.inactiveElectrical,
        jobTypeId: SEED_IDS.jobTypes.inactiveInstall,
      },
      tags: {
        oneTimeTagTypeId: SEED_IDS.tagTypes.inactiveLegacy,
        subscriptionTagTypeId: SEED_IDS.tagTypes.subscriptionService,
      },
      technicianId: SEED_IDS.technicians.inactivePat,
      includeArrivalWindows: false,
    };
    const errors = await errorsOf(bad);
    const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    expect(Object.keys(byField).sort()).toEqual(
      [
        'paymentTypeId',
        'services.job.campaignId',
        'services.job.businessUnitId',
        'services.job.jobTypeId',
        'services.tags.oneTimeTagTypeId',
        'services.technicianId',
      ].sort(),
    );
    expect(byField['services.job.businessUnitId']).toBe(
      'Business unit 4 ("Electrical Service") is inactive in ServiceTitan; choose an active one in Services > Job information, or reactivate it in ServiceTitan.',
    );
    expect(byField.paymentTypeId).toMatch(/Payment type 15 \("Gift Card"\) is inactive/);
  });

  it('refuses arrival windows when ServiceTitan has no active arrival window', async () => {
    await sandboxControl('PATCH', '/_sandbox/entities/arrival-windows/61', { active: false });
    await sandboxControl('PATCH', '/_sandbox/entities/arrival-windows/62', { active: false });
    const errors = await errorsOf(sandboxSettings());
    expect(errors).toEqual([
      {
        field: 'services.includeArrivalWindows',
        message:
          'Arrival windows are switched on for service orders, but ServiceTitan has no active arrival window; create one in ServiceTitan (Settings > Dispatch > Arrival windows) or switch arrival windows off.',
      },
    ]);
    const off = sandboxSettings();
    off.services = { ...off.services, includeArrivalWindows: false };
    expect((await save(off)).statusCode).toBe(200);
  });

  it('refuses arrival windows when no active window applies to the business unit', async () => {
    await sandboxControl('PATCH', '/_sandbox/entities/arrival-windows/61', { businessUnitIds: [1] });
    await sandboxControl('PATCH', '/_sandbox/entities/arrival-windows/62', { businessUnitIds: [1] });
    const errors = await errorsOf(sandboxSettings());
    expect(errors.map((e) => e.field)).toEqual(['services.includeArrivalWindows']);
    expect(errors[0]?.message).toMatch(
      /no active arrival window in ServiceTitan applies to business unit 2 \("Plumbing Service"\)/,
    );
  });

  it('warns, and saves, when the payment type is not the store’s Cash payment type', async () => {
    const settings = sandboxSettings();
    settings.paymentTypeId = SEED_IDS.paymentTypes.creditCard;
    const warnings = await warningsOf(settings);
    expect(warnings.map((w) => w.field)).toEqual(['paymentTypeId', 'paymentTypeId']);
    expect(warnings[0]?.message).toMatch(/not flagged Cash/);
    expect(warnings[1]?.message).toMatch(/Create a payment type named "Contractor Commerce"/);
    expect((await get(settingsUrl())).json().settings.paymentTypeId).toBe(SEED_IDS.paymentTypes.creditCard);
  });

  it('warns on the name only when ServiceTitan does not say whether a payment type is Cash (as real ServiceTitan does not)', async () => {
    await sandboxControl('PATCH', '/_sandbox/entities/payment-types/12', { name: 'Online payments' });
    const warnings = await warningsOf(sandboxSettings());
    // The sandbox still exposes the Cash flag, so only the name is wrong here.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      field: 'paymentTypeId',
      message: expect.stringContaining('not the store'),
    });
  });

  it('warns about the $0-invoice trap when products are invoiced as Material', async () => {
    const warnings = await warningsOf(withProducts({ invoiceItemType: 'Material' }));
    expect(warnings).toEqual([
      { field: 'products.invoiceItemType', message: expect.stringMatching(/\$0.*Choose "Equipment"/) },
    ]);
  });

  it('warns when the job type is not offered for the chosen business unit', async () => {
    const warnings = await warningsOf(
      withProducts({
        job: {
          campaignId: SEED_IDS.campaigns.contractorCommerce,
          businessUnitId: SEED_IDS.businessUnits.plumbing,
          jobTypeId: SEED_IDS.jobTypes.filterDelivery,
        },
      }),
    );
    expect(warnings).toEqual([
      {
        field: 'products.job.jobTypeId',
        message: expect.stringContaining(
          'Job type 7 ("Filter Delivery") is not offered for business unit 2 ("Plumbing Service")',
        ),
      },
    ]);
  });

  it('checks GL accounts by name and the existing SKU by id', async () => {
    const base = sandboxSettings();
    const errors = await errorsOf(
      withProducts({
        accounting: {
          ...base.products?.accounting,
          account: 'Old Revenue',
          costOfSaleAccount: 'Cost of Sales (typo)',
          assetAccount: 'Inventory',
          intacctGlGroupName: null,
          existingSkuId: 9999,
        },
      }),
    );
    const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    expect(Object.keys(byField).sort()).toEqual(
      [
        'products.accounting.account',
        'products.accounting.costOfSaleAccount',
        'products.accounting.existingSkuId',
      ].sort(),
    );
    expect(byField['products.accounting.account']).toMatch(/"Old Revenue" .* is inactive/);
    expect(byField['products.accounting.costOfSaleAccount']).toMatch(
      /no GL account named "Cost of Sales \(typo\)"/,
    );

    const good = await warningsOf(
      withProducts({
        accounting: {
          ...base.products?.accounting,
          existingSkuId: SEED_IDS.pricebook.onlineStoreEquipment,
          intacctGlGroupName: 'Revenue',
        },
      }),
    );
    expect(good).toEqual([
      {
        field: 'products.accounting.intacctGlGroupName',
        message: expect.stringContaining('not an Intacct GL group'),
      },
    ]);
  });

  it('answers shape errors with the same 422 listing each field', async () => {
    const errors = await errorsOf({
      products: { enabled: true, job: { campaignId: 'three' }, invoiceItemType: 'Gadget' },
      subscriptions: { leadDays: -1 },
    });
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'paymentTypeId',
        'products.job.campaignId',
        'products.invoiceItemType',
        'subscriptions.leadDays',
      ]),
    );
  });

  it('answers 404 for an unknown tenant', async () => {
    expect((await put('/api/tenants/nobody-here/settings', sandboxSettings())).statusCode).toBe(404);
    expect((await get('/api/tenants/nobody-here/settings')).statusCode).toBe(404);
  });
});
