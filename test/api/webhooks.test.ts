import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../db/client.js';
import { webhookInbox } from '../../db/schema.js';
import { createSecretBox } from '../../db/secret-box.js';
import { sampleOrder } from '../../domain/sample-order.js';
import { freshDatabase } from '../helpers/database.js';
import {
  createTestApp,
  delivery,
  newWebhookSecret,
  orderPaidEvent,
  seedTenant,
  signedHeaders,
  type TestApp,
  unreachableTemporalClient,
} from './harness.js';

// The webhook edge on its own: Temporal is unreachable on purpose, which also proves the handler
// never waits on it.

const secrets = createSecretBox(randomBytes(32));
let database: Awaited<ReturnType<typeof freshDatabase>>;
let api: TestApp;
let tenantId: string;
let secret: string;

const inboxRows = (eventId: string) =>
  database.db.select().from(webhookInbox).where(eq(webhookInbox.eventId, eventId));

beforeAll(async () => {
  database = await freshDatabase();
  api = await createTestApp({
    db: database.db,
    secrets,
    client: await unreachableTemporalClient(),
    taskQueue: 'unused',
  });
  ({ tenantId, webhookSecret: secret } = await seedTenant(database.db, secrets));
});

afterAll(async () => {
  await api?.close();
  await database?.drop();
});

describe('signatures', () => {
  it('accepts a correctly signed order with 202, its event id and its workflow id, and stores it', async () => {
    const started = Date.now();
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent(tenantId, { id: 'ord_sig_ok' }), { id: 'evt_sig_ok' }),
    );
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      eventId: 'evt_sig_ok',
      workflowId: `order-sync:${tenantId}:ord_sig_ok`,
    });
    // Temporal is unreachable here: the answer must not depend on it.
    expect(Date.now() - started).toBeLessThan(1000);
    const [row] = await inboxRows('evt_sig_ok');
    expect(row).toMatchObject({ tenantId, type: 'order.paid', status: 'pending', attempts: 0 });
  });

  it('refuses a body signed with another secret with 401', async () => {
    const response = await api.app.inject(
      delivery(newWebhookSecret(), orderPaidEvent(tenantId, { id: 'ord_wrong' })),
    );
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().detail).toMatch(/does not match/);
  });

  it('refuses a body changed after it was signed with 401 and stores nothing', async () => {
    const body = JSON.stringify(orderPaidEvent(tenantId, { id: 'ord_tamper' }));
    const headers = signedHeaders(secret, body, { id: 'evt_tampered' });
    const tampered = body.replace('"quantity":2', '"quantity":20');
    expect(tampered).not.toBe(body);
    const response = await api.app.inject({
      method: 'POST',
      url: '/webhooks/contractor-commerce',
      headers,
      payload: tampered,
    });
    expect(response.statusCode).toBe(401);
    expect(await inboxRows('evt_tampered')).toHaveLength(0);
  });

  it('refuses a re-serialised body: the signature covers the exact bytes sent', async () => {
    const event = orderPaidEvent(tenantId, { id: 'ord_reformatted' });
    const headers = signedHeaders(secret, JSON.stringify(event));
    const response = await api.app.inject({
      method: 'POST',
      url: '/webhooks/contractor-commerce',
      headers,
      payload: JSON.stringify(event, null, 2),
    });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a timestamp more than 5 minutes old (a replay) with 401', async () => {
    const stale = new Date(Date.now() - 6 * 60_000);
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent(tenantId, { id: 'ord_stale' }), { timestamp: stale }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toMatch(/5 minutes in the past/);
  });

  it('refuses a timestamp more than 5 minutes in the future with 401', async () => {
    const future = new Date(Date.now() + 6 * 60_000);
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent(tenantId, { id: 'ord_future' }), { timestamp: future }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toMatch(/5 minutes in the future/);
  });

  it('accepts timestamps within the 5 minute tolerance', async () => {
    const fourMinutesAgo = new Date(Date.now() - 4 * 60_000);
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent(tenantId, { id: 'ord_skewed' }), { timestamp: fourMinutesAgo }),
    );
    expect(response.statusCode).toBe(202);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a delivery without %s with 401 naming it',
    async (header) => {
      const request = delivery(secret, orderPaidEvent(tenantId, { id: `ord_missing_${header}` }));
      const headers = { ...(request.headers as Record<string, string>) };
      delete headers[header];
      const response = await api.app.inject({ ...request, headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toContain(header);
    },
  );

  it('accepts deliveries signed with the old or the new secret while a secret is rotated', async () => {
    const oldSecret = newWebhookSecret();
    const newSecret = newWebhookSecret();
    const rotating = await seedTenant(database.db, secrets, { webhookSecrets: [newSecret, oldSecret] });
    const byOld = await api.app.inject(
      delivery(oldSecret, orderPaidEvent(rotating.tenantId, { id: 'ord_rot_old' })),
    );
    const byNew = await api.app.inject(
      delivery(newSecret, orderPaidEvent(rotating.tenantId, { id: 'ord_rot_new' })),
    );
    const byOther = await api.app.inject(
      delivery(secret, orderPaidEvent(rotating.tenantId, { id: 'ord_rot_x' })),
    );
    expect([byOld.statusCode, byNew.statusCode, byOther.statusCode]).toEqual([202, 202, 401]);
  });

  it('needs no bearer token: a webhook authenticates by its signature only', async () => {
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent(tenantId, { id: 'ord_no_bearer' })),
    );
    expect(response.statusCode).toBe(202);
  });
});

describe('tenants', () => {
  it('answers 404 for a tenant this service does not know', async () => {
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent('no-such-tenant', { id: 'ord_unknown' })),
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toContain('no-such-tenant');
  });

  it('answers 400 naming tenantId when the body does not say whose event it is', async () => {
    const response = await api.app.inject(delivery(secret, { type: 'order.paid', data: {} }));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'tenantId', message: 'is required' }]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await api.app.inject(delivery(secret, 'not json at all'));
    expect(response.statusCode).toBe(400);
  });
});

describe('validation', () => {
  it('names every invalid field of an order in one application/problem+json 400', async () => {
    const event = {
      type: 'order.paid',
      tenantId,
      createdAt: 'yesterday',
      data: {
        id: '',
        number: ' ',
        placedAt: '2026-12-04 10:00',
        currency: 'EUR',
        customer: { id: '', firstName: '', lastName: '', email: 'jane-at-example', phone: '555' },
        serviceAddress: { street: '', unit: null, city: '', state: '', zip: '', country: 'USA' },
        lines: [{ id: '', kind: 'gadget', sku: '', name: '', quantity: 0, unitPrice: 24.99 }],
        subtotal: '49.989',
        tax: '-1',
        total: 'lots',
        payment: { id: '', amount: '54,10', paidAt: 'now' },
        preferredDate: '12/10/2026',
        subscription: { id: '', interval: 'fortnight', intervalCount: 0, startsAt: '2026-13-01' },
      },
    };
    const response = await api.app.inject(delivery(secret, event, { id: 'evt_invalid_fields' }));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = (response.json().errors as Array<{ field: string; message: string }>).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'createdAt',
        'data.id',
        'data.number',
        'data.placedAt',
        'data.currency',
        'data.customer.id',
        'data.customer.firstName',
        'data.customer.lastName',
        'data.customer.email',
        'data.customer.phone',
        'data.serviceAddress.street',
        'data.serviceAddress.city',
        'data.serviceAddress.state',
        'data.serviceAddress.zip',
        'data.serviceAddress.country',
        'data.lines[0].id',
        'data.lines[0].kind',
        'data.lines[0].sku',
        'data.lines[0].name',
        'data.lines[0].quantity',
        'data.lines[0].unitPrice',
        'data.subtotal',
        'data.tax',
        'data.total',
        'data.payment.id',
        'data.payment.amount',
        'data.payment.paidAt',
        'data.preferredDate',
        'data.subscription.id',
        'data.subscription.interval',
        'data.subscription.intervalCount',
        'data.subscription.startsAt',
      ]),
    );
    expect(await inboxRows('evt_invalid_fields')).toHaveLength(0);
  });

  it('names a missing required field as required', async () => {
    const { customer: _customer, ...withoutCustomer } = sampleOrder({ id: 'ord_no_customer' });
    const response = await api.app.inject(
      delivery(secret, orderPaidEvent(tenantId, withoutCustomer as never)),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toContainEqual({ field: 'data.customer', message: 'is required' });
  });

  it('names amounts that do not add up, and an address that is not a US address', async () => {
    const order = sampleOrder({ id: 'ord_sums', serviceAddress: { zip: '7870', state: 'Texsa' } });
    const event = orderPaidEvent(tenantId, {
      ...order,
      subtotal: '1.00',
      payment: { ...order.payment, amount: '2.00' },
    });
    const response = await api.app.inject(delivery(secret, event));
    expect(response.statusCode).toBe(400);
    const fields = (response.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['data.serviceAddress.zip', 'data.serviceAddress.state']));
    const sums = await api.app.inject(
      delivery(
        secret,
        orderPaidEvent(tenantId, { ...sampleOrder({ id: 'ord_sums2' }), subtotal: '1.00', total: '9.99' }),
      ),
    );
    const sumFields = (sums.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(sumFields).toEqual(expect.arrayContaining(['data.subtotal', 'data.total', 'data.payment.amount']));
  });

  it('names an unknown event type and invalid subscription event fields', async () => {
    const unknownType = await api.app.inject(
      delivery(secret, { type: 'order.refunded', tenantId, createdAt: '2026-12-04T10:00:00Z', data: {} }),
    );
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().errors[0].field).toBe('type');

    const renewal = await api.app.inject(
      delivery(secret, {
        type: 'subscription.renewed',
        tenantId,
        createdAt: '2026-12-04T10:00:00Z',
        data: {
          subscriptionId: '',
          orderId: 'ord_1',
          cycle: 0,
          chargedAt: 'x',
          payment: { id: 'p', amount: 10 },
        },
      }),
    );
    expect(renewal.statusCode).toBe(400);
    const fields = (renewal.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['data.subscriptionId', 'data.cycle', 'data.chargedAt', 'data.payment.amount']),
    );
  });

  it('answers 413 for a body over 1 MiB, before reading it', async () => {
    const huge = JSON.stringify({
      ...orderPaidEvent(tenantId, { id: 'ord_huge' }),
      padding: 'x'.repeat(1024 * 1024),
    });
    const response = await api.app.inject(delivery(secret, huge));
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const rejected = await api.metrics.webhooksRejected.get();
    expect(rejected.values.find((v) => v.labels.reason === 'too_large')?.value).toBe(1);
  });
});

describe('the inbox', () => {
  it('answers a redelivery of the same event id 200 duplicate with the workflow id, storing nothing new', async () => {
    const event = orderPaidEvent(tenantId, { id: 'ord_dup' });
    const first = await api.app.inject(delivery(secret, event, { id: 'evt_dup' }));
    const second = await api.app.inject(delivery(secret, event, { id: 'evt_dup' }));
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ duplicate: true, workflowId: `order-sync:${tenantId}:ord_dup` });
    expect(await inboxRows('evt_dup')).toHaveLength(1);
  });

  it('files subscription events under the subscription workflow', async () => {
    const response = await api.app.inject(
      delivery(secret, {
        type: 'subscription.canceled',
        tenantId,
        createdAt: '2026-12-04T10:00:00Z',
        data: { subscriptionId: 'sub_9', canceledAt: '2026-12-04T10:00:00Z', reason: 'moving' },
      }),
    );
    expect(response.statusCode).toBe(202);
    expect(response.json().workflowId).toBe(`subscription:${tenantId}:sub_9`);
  });

  it('answers 503 and stores nothing while the database is unreachable; the redelivery is then accepted', async () => {
    const admin = postgres(inject('databaseAdminUrl'), { max: 1, onnotice: () => {} });
    // A second database handle of the app's own, so the outage does not touch the rest of this file.
    const outage = createDatabase(database.url, { max: 2 });
    const outageApp = await createTestApp({
      db: outage.db,
      secrets,
      client: await unreachableTemporalClient(),
      taskQueue: 'unused',
    });
    const event = orderPaidEvent(tenantId, { id: 'ord_db_down' });
    try {
      await admin.unsafe(`alter database ${database.name} allow_connections false`);
      await admin.unsafe(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database.name}' and pid <> pg_backend_pid()`,
      );
      const during = await outageApp.app.inject(delivery(secret, event, { id: 'evt_db_down' }));
      expect(during.statusCode).toBe(503);
      expect(during.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(during.json().detail).toMatch(/not accepted/);
    } finally {
      await admin.unsafe(`alter database ${database.name} allow_connections true`);
    }
    expect(await inboxRows('evt_db_down')).toHaveLength(0);
    const after = await outageApp.app.inject(delivery(secret, event, { id: 'evt_db_down' }));
    expect(after.statusCode).toBe(202);
    expect(await inboxRows('evt_db_down')).toHaveLength(1);
    await outageApp.close();
    await outage.close();
    await admin.end();
  });

  it('answers 503 when the database cannot be reached at all', async () => {
    const nowhere = createDatabase('postgres://nobody:nothing@127.0.0.1:9/none', { max: 1 });
    const isolated = await createTestApp({
      db: nowhere.db,
      secrets,
      client: await unreachableTemporalClient(),
      taskQueue: 'unused',
    });
    const response = await isolated.app.inject(
      delivery(secret, orderPaidEvent(tenantId, { id: 'ord_no_db' })),
    );
    expect(response.statusCode).toBe(503);
    await isolated.close();
    await nowhere.close();
  });
});
