import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncStartOptions } from '../../api/order-workflow.js';
import { insertReceivedOrder, recordOrderStep, updateOrderStatus } from '../../db/orders.js';
import { orders } from '../../db/schema.js';
import { createSecretBox } from '../../db/secret-box.js';
import { orderSchema } from '../../domain/order.js';
import { sampleOrder } from '../../domain/sample-order.js';
import { ORDER_SYNC_WORKFLOW, orderSyncWorkflowId } from '../../workflows/definitions.js';
import { SUBSCRIPTION_WORKFLOW, subscriptionWorkflowId } from '../../workflows/subscription-definitions.js';
import { freshDatabase } from '../helpers/database.js';
import { connectToDevServer, taskQueueFor } from '../helpers/temporal.js';
import {
  authorized,
  createTestApp,
  delivery,
  eventually,
  orderPaidEvent,
  seedTenant,
  type TestApp,
  terminateWorkflowsOn,
  uniqueTenantId,
  unreachableTemporalClient,
} from './harness.js';

// The operations API against running workflows: stand-in workflows (test/api/workflows/stubs.ts)
// with the real names, signals and queries run on this file's own worker.

const UI = 'http://temporal-ui.test:8233';
const secrets = createSecretBox(randomBytes(32));
const taskQueue = taskQueueFor('api operations');
let database: Awaited<ReturnType<typeof freshDatabase>>;
let temporal: Awaited<ReturnType<typeof connectToDevServer>>;
let api: TestApp;
let worker: Worker;
let workerRunning: Promise<void>;

const get = (url: string) => api.app.inject(authorized({ method: 'GET', url }));
const post = (url: string, payload?: unknown) =>
  api.app.inject(
    authorized({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) }),
  );

async function storeOrder(tenantId: string, orderId: string, status = 'received', createdAt?: Date) {
  await insertReceivedOrder(database.db, {
    tenantId,
    orderId,
    orderNumber: orderId.replace(/\D/g, '') || orderId,
    kind: 'product',
    order: sampleOrder({ id: orderId }),
    workflowId: orderSyncWorkflowId(tenantId, orderId),
  });
  await updateOrderStatus(database.db, tenantId, orderId, { status });
  if (createdAt) {
    await database.db
      .update(orders)
      .set({ createdAt })
      .where(and(eq(orders.tenantId, tenantId), eq(orders.orderId, orderId)));
  }
}

async function startOrderWorkflow(tenantId: string, orderId: string) {
  const order = orderSchema.parse(sampleOrder({ id: orderId }));
  return temporal.client.workflow.start(
    ORDER_SYNC_WORKFLOW,
    orderSyncStartOptions(tenantId, order, taskQueue),
  );
}

beforeAll(async () => {
  database = await freshDatabase();
  temporal = await connectToDevServer();
  worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows/stubs.ts', import.meta.url)),
  });
  workerRunning = worker.run();
  api = await createTestApp({ db: database.db, secrets, client: temporal.client, taskQueue, uiBaseUrl: UI });
});

afterAll(async () => {
  await api?.close();
  if (temporal) await terminateWorkflowsOn(temporal.client, [taskQueue]);
  if (worker) {
    worker.shutdown();
    await workerRunning;
  }
  await temporal?.close();
  await database?.drop();
});

describe('GET /api/orders', () => {
  const tenantA = uniqueTenantId('list-a');
  const tenantB = uniqueTenantId('list-b');

  beforeAll(async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute));
    await storeOrder(tenantA, 'ord_a1', 'synced', at(1));
    await storeOrder(tenantA, 'ord_a2', 'needs_attention', at(2));
    await storeOrder(tenantA, 'ord_a3', 'failed', at(3));
    // Same instant: the order id breaks the tie, so paging neither skips nor repeats.
    await storeOrder(tenantA, 'ord_a4', 'synced', at(4));
    await storeOrder(tenantA, 'ord_a5', 'skipped', at(4));
    await storeOrder(tenantB, 'ord_b1', 'synced', at(5));
  });

  it('lists orders newest first with their status, workflow id and Temporal UI link', async () => {
    const response = await get(`/api/orders?tenantId=${tenantA}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([
      'ord_a5',
      'ord_a4',
      'ord_a3',
      'ord_a2',
      'ord_a1',
    ]);
    expect(body.orders[0]).toMatchObject({
      tenantId: tenantA,
      status: 'skipped',
      workflowId: `order-sync:${tenantA}:ord_a5`,
      temporalUrl: `${UI}/namespaces/default/workflows/${encodeURIComponent(`order-sync:${tenantA}:ord_a5`)}`,
      serviceTitan: { customerId: null, locationId: null, ids: {} },
    });
    expect(body.nextCursor).toBeNull();
  });

  it('filters by status', async () => {
    const response = await get(`/api/orders?tenantId=${tenantA}&status=synced`);
    expect(response.json().orders.map((o: { orderId: string }) => o.orderId)).toEqual(['ord_a4', 'ord_a1']);
    const everyTenant = await get('/api/orders?status=synced&limit=200');
    const ids = everyTenant.json().orders.map((o: { orderId: string }) => o.orderId);
    expect(ids).toEqual(expect.arrayContaining(['ord_a4', 'ord_a1', 'ord_b1']));
  });

  it('pages with a cursor through every order exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const query: string = `/api/orders?tenantId=${tenantA}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await get(query)).json();
      seen.push(...body.orders.map((o: { orderId: string }) => o.orderId));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['ord_a5', 'ord_a4', 'ord_a3', 'ord_a2', 'ord_a1']);
  });

  it('refuses an unknown status, a bad limit or a cursor it did not make with 400 naming the field', async () => {
    const status = await get('/api/orders?status=lost');
    expect(status.statusCode).toBe(400);
    expect(status.json().errors[0].field).toBe('querystring.status');
    expect((await get('/api/orders?limit=0')).statusCode).toBe(400);
    const cursor = await get('/api/orders?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors).toEqual([{ field: 'cursor', message: 'is not a valid cursor' }]);
  });
});

describe('GET /api/orders/{tenantId}/{orderId}', () => {
  it('answers 404 for an order never received', async () => {
    expect((await get('/api/orders/nobody/ord_none')).statusCode).toBe(404);
  });

  it('shows every step with its state and ServiceTitan ids, and the last error in plain language, from the read model', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'ord_steps', 'needs_attention');
    await recordOrderStep(
      database.db,
      tenantId,
      'ord_steps',
      'customer',
      { state: 'done', ids: { customerId: 101 } },
      { stCustomerId: 101 },
    );
    await recordOrderStep(database.db, tenantId, 'ord_steps', 'job:product', {
      state: 'failed',
      detail: 'Business unit 4 is inactive',
    });
    await updateOrderStatus(database.db, tenantId, 'ord_steps', {
      status: 'needs_attention',
      lastError: 'Business unit 4 is inactive in ServiceTitan; choose another in Products > Job information.',
      lastErrorType: 'SERVICETITAN_REJECTED',
    });
    const body = (await get(`/api/orders/${tenantId}/ord_steps`)).json();
    expect(body).toMatchObject({
      status: 'needs_attention',
      serviceTitan: { customerId: 101 },
      steps: {
        customer: { state: 'done', ids: { customerId: 101 } },
        'job:product': { state: 'failed', detail: 'Business unit 4 is inactive' },
      },
      lastError: { type: 'SERVICETITAN_REJECTED', message: expect.stringContaining('choose another') },
      workflow: null,
      live: null,
    });
    expect(body.order.id).toBe('ord_steps');
  });

  it('adds the running workflow’s own status query answer', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'ord_live');
    const handle = await startOrderWorkflow(tenantId, 'ord_live');
    const body = await eventually(async () => {
      const detail = (await get(`/api/orders/${tenantId}/ord_live`)).json();
      return detail.live ? detail : undefined;
    }, 'the live status');
    expect(body.workflow).toMatchObject({
      runId: handle.firstExecutionRunId,
      status: 'RUNNING',
      closeTime: null,
    });
    expect(body.live).toMatchObject({
      status: 'needs_attention',
      attempt: 1,
      lastError: { type: 'STUB_PARKED' },
      waitingFor: expect.stringContaining('retry'),
    });
  });

  it('still answers from the read model when Temporal is unreachable, saying why the live part is missing', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'ord_offline');
    const offline = await createTestApp({
      db: database.db,
      secrets,
      client: await unreachableTemporalClient(),
      taskQueue,
      extra: { temporalTimeoutMs: 500 },
    });
    try {
      const response = await offline.app.inject(
        authorized({ method: 'GET', url: `/api/orders/${tenantId}/ord_offline` }),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        orderId: 'ord_offline',
        live: null,
        liveError: expect.stringContaining('Temporal'),
      });
    } finally {
      await offline.close();
    }
  });
});

describe('POST /api/orders/{tenantId}/{orderId}/retry', () => {
  it('signals a parked workflow, and a second press just signals again: no new run', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'ord_parked', 'needs_attention');
    const handle = await startOrderWorkflow(tenantId, 'ord_parked');
    const first = await post(`/api/orders/${tenantId}/ord_parked/retry`);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({
      action: 'signaled',
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
    });
    const second = await post(`/api/orders/${tenantId}/ord_parked/retry`);
    expect(second.json()).toMatchObject({ action: 'signaled', runId: handle.firstExecutionRunId });
    await eventually(
      async () => (await handle.query<{ attempt: number }>('status')).attempt === 3,
      'both retries to arrive',
    );
    expect((await temporal.client.workflow.count(`WorkflowId = "${handle.workflowId}"`)).count).toBe(1);
  });

  it('starts a new run for a workflow that failed or was terminated', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'ord_failed', 'failed');
    const old = await startOrderWorkflow(tenantId, 'ord_failed');
    await old.terminate('simulated failure');
    const response = await post(`/api/orders/${tenantId}/ord_failed/retry`);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body.action).toBe('started');
    expect(body.runId).not.toBe(old.firstExecutionRunId);
    const description = await temporal.client.workflow.getHandle(old.workflowId).describe();
    expect(description).toMatchObject({ runId: body.runId, taskQueue });
    expect(description.status.name).toBe('RUNNING');
    // Pressed again right away: the new run is running, so it is signaled, not started a third time.
    expect((await post(`/api/orders/${tenantId}/ord_failed/retry`)).json()).toMatchObject({
      action: 'signaled',
      runId: body.runId,
    });
  });

  it('starts the workflow of an order that never had one (it was skipped while its sync was off)', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'ord_skipped', 'skipped');
    const response = await post(`/api/orders/${tenantId}/ord_skipped/retry`);
    expect(response.json()).toMatchObject({
      action: 'started',
      workflowId: `order-sync:${tenantId}:ord_skipped`,
    });
  });

  it('answers 409 for an order already synced, and 404 for an order never received', async () => {
    const tenantId = uniqueTenantId();
    await storeOrder(tenantId, 'done-1', 'synced');
    const handle = await startOrderWorkflow(tenantId, 'done-1');
    await handle.result();
    const synced = await post(`/api/orders/${tenantId}/done-1/retry`);
    expect(synced.statusCode).toBe(409);
    expect(synced.json().detail).toMatch(/already synced/);
    expect((await post(`/api/orders/${tenantId}/never/retry`)).statusCode).toBe(404);
  });
});

describe('subscriptions', () => {
  it('answers 404 for a subscription without a workflow', async () => {
    expect((await get('/api/subscriptions/demo/sub_none')).statusCode).toBe(404);
    expect((await post('/api/subscriptions/demo/sub_none/pause')).statusCode).toBe(404);
  });

  it('shows the schedule and applies pause, resume, skip-next and cancel', async () => {
    const tenantId = uniqueTenantId();
    const workflowId = subscriptionWorkflowId(tenantId, 'sub_5');
    await temporal.client.workflow.start(SUBSCRIPTION_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [{ tenantId, subscriptionId: 'sub_5' }],
    });
    const url = `/api/subscriptions/${tenantId}/sub_5`;
    const shown = await get(url);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      workflowId,
      temporalUrl: `${UI}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`,
      workflow: { status: 'RUNNING' },
      schedule: {
        status: 'active',
        nextCycleDate: '2027-03-04',
        cycles: [{ cycle: 1, paymentId: 7001 }, { cycle: 2 }],
      },
    });

    const statusAfter = async (action: string, payload?: unknown) => {
      const response = await post(`${url}/${action}`, payload);
      expect(response.statusCode).toBe(202);
      return (await get(url)).json().schedule;
    };
    expect((await statusAfter('pause')).status).toBe('paused');
    expect((await statusAfter('resume')).status).toBe('active');
    expect((await statusAfter('skip-next')).nextCycleDate).toBe('2027-06-04');
    const canceled = await post(`${url}/cancel`, { reason: 'customer moved' });
    expect(canceled.json()).toEqual({ workflowId, action: 'cancel', signal: 'cancel' });
    await temporal.client.workflow.getHandle(workflowId).result();
    const ended = await post(`${url}/pause`);
    expect(ended.statusCode).toBe(409);
    expect(ended.json().detail).toMatch(/has ended/);
  });

  it('refuses an unknown action with 400', async () => {
    const response = await post('/api/subscriptions/demo/sub_5/delete');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('params.action');
  });
});

describe('health, metrics and docs', () => {
  it('answers /healthz, and /readyz with the database and Temporal reachable', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
    const ready = await api.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, database: { ok: true }, temporal: { ok: true } });
  });

  it('answers /readyz 503 naming what is unreachable', async () => {
    const offline = await createTestApp({
      db: database.db,
      secrets,
      client: await unreachableTemporalClient(),
      taskQueue,
      extra: { temporalTimeoutMs: 500 },
    });
    try {
      const ready = await offline.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ ready: false, database: { ok: true }, temporal: { ok: false } });
    } finally {
      await offline.close();
    }
  });

  it('exposes webhook counters, inbox depth, dispatch latency and orders by status to Prometheus', async () => {
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets);
    const event = orderPaidEvent(tenantId, { id: 'ord_metrics' });
    expect((await api.app.inject(delivery(webhookSecret, event, { id: 'evt_metrics' }))).statusCode).toBe(
      202,
    );
    expect((await api.app.inject(delivery(webhookSecret, event, { id: 'evt_metrics' }))).statusCode).toBe(
      200,
    );
    expect(
      (await api.app.inject(delivery(`whsec_${randomBytes(32).toString('base64')}`, event))).statusCode,
    ).toBe(401);

    const response = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain('order_sync_webhooks_received_total{type="order.paid"} 1');
    expect(text).toContain('order_sync_webhooks_duplicate_total 1');
    expect(text).toContain('order_sync_webhooks_rejected_total{reason="signature"} 1');
    // No dispatcher runs in this app: the event waits in the inbox.
    expect(text).toMatch(/order_sync_inbox_pending [1-9]/);
    expect(text).toMatch(/order_sync_orders\{status="synced"\} [1-9]/);
    expect(text).toContain('order_sync_orders{status="received"}');
    expect(text).toContain('# TYPE order_sync_dispatch_latency_seconds histogram');
  });

  it('documents every route of the contract at /docs', async () => {
    const ui = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/webhooks/contractor-commerce',
        '/api/tenants/{tenantId}',
        '/api/tenants/{tenantId}/servicetitan/options',
        '/api/tenants/{tenantId}/settings',
        '/api/orders',
        '/api/orders/{tenantId}/{orderId}',
        '/api/orders/{tenantId}/{orderId}/retry',
        '/api/subscriptions/{tenantId}/{subscriptionId}',
        '/api/subscriptions/{tenantId}/{subscriptionId}/{action}',
        '/healthz',
        '/readyz',
        '/metrics',
      ]),
    );
    const webhook = document.paths['/webhooks/contractor-commerce'].post;
    expect(Object.keys(webhook.responses)).toEqual(
      expect.arrayContaining(['200', '202', '400', '401', '404', '413', '503']),
    );
    expect(webhook.requestBody.content['application/json'].schema).toBeDefined();
    expect(document.paths['/api/tenants/{tenantId}/settings'].put.requestBody).toBeDefined();
  });
});
