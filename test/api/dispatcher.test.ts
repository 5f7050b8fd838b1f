import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher } from '../../api/dispatcher.js';
import { loadOrderRow } from '../../db/orders.js';
import { webhookInbox } from '../../db/schema.js';
import { createSecretBox } from '../../db/secret-box.js';
import { exampleSandboxSettings as sandboxSettings } from '../../servicetitan/sandbox/example-settings.js';
import {
  OrderIdKey,
  OrderKindKey,
  SubscriptionIdKey,
  SyncStatusKey,
  TenantIdKey,
} from '../../workflows/search-attributes.js';
import { freshDatabase } from '../helpers/database.js';
import { connectToDevServer, taskQueueFor } from '../helpers/temporal.js';
import {
  createTestApp,
  delivery,
  eventually,
  orderPaidEvent,
  seedTenant,
  type TestApp,
  terminateWorkflowsOn,
  unreachableTemporalClient,
} from './harness.js';

// Dispatch from the inbox to the real Temporal dev server. No worker runs: the workflows stay
// running on this file's task queue, which is enough to see exactly what was started and signaled.

const secrets = createSecretBox(randomBytes(32));
const taskQueue = taskQueueFor('api dispatcher');
let database: Awaited<ReturnType<typeof freshDatabase>>;
let temporal: Awaited<ReturnType<typeof connectToDevServer>>;
let api: TestApp;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const inboxRow = async (eventId: string) =>
  (await database.db.select().from(webhookInbox).where(eq(webhookInbox.eventId, eventId)))[0];

const dispatchedRow = (eventId: string) =>
  eventually(async () => {
    const row = await inboxRow(eventId);
    return row && row.status !== 'pending' ? row : undefined;
  }, `event ${eventId} to leave the pending state`);

beforeAll(async () => {
  database = await freshDatabase();
  temporal = await connectToDevServer();
  api = await createTestApp({ db: database.db, secrets, client: temporal.client, taskQueue, dispatcher: {} });
});

afterAll(async () => {
  await api?.close();
  if (temporal) {
    await terminateWorkflowsOn(temporal.client, [taskQueue]);
    await temporal.close();
  }
  await database?.drop();
});

describe('orders', () => {
  it('starts the order’s sync workflow with the search attributes and memo operators filter by', async () => {
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, {
      settings: sandboxSettings(),
    });
    const accepted = await api.app.inject(
      delivery(webhookSecret, orderPaidEvent(tenantId, { id: 'ord_1001', kind: 'mixed' }), {
        id: 'evt_start',
      }),
    );
    expect(accepted.statusCode).toBe(202);
    const row = await dispatchedRow('evt_start');
    expect(row).toMatchObject({
      status: 'dispatched',
      workflowId: `order-sync:${tenantId}:ord_1001`,
      lastError: null,
    });

    const description = await temporal.client.workflow
      .getHandle(`order-sync:${tenantId}:ord_1001`)
      .describe();
    expect(description.type).toBe('orderSyncWorkflow');
    expect(description.taskQueue).toBe(taskQueue);
    expect(description.status.name).toBe('RUNNING');
    expect(description.typedSearchAttributes.get(TenantIdKey)).toBe(tenantId);
    expect(description.typedSearchAttributes.get(OrderIdKey)).toBe('ord_1001');
    expect(description.typedSearchAttributes.get(OrderKindKey)).toBe('mixed');
    expect(description.typedSearchAttributes.get(SyncStatusKey)).toBe('received');
    expect(description.memo).toEqual({ orderNumber: '1001', customerName: 'Jane Doe' });

    const order = await loadOrderRow(database.db, tenantId, 'ord_1001');
    expect(order).toMatchObject({ status: 'received', kind: 'mixed', orderNumber: '1001' });
  });

  it('dispatches within moments of the delivery, not a poll interval later', async () => {
    const slowPoll = await createTestApp({
      db: database.db,
      secrets,
      client: temporal.client,
      taskQueue,
      dispatcher: { pollIntervalMs: 60_000 },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // let its first (empty) batch pass
      const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, {
        settings: sandboxSettings(),
      });
      const started = Date.now();
      await slowPoll.app.inject(
        delivery(webhookSecret, orderPaidEvent(tenantId, { id: 'ord_fast' }), { id: 'evt_fast' }),
      );
      await dispatchedRow('evt_fast');
      expect(Date.now() - started).toBeLessThan(5000);
      const latency = await slowPoll.metrics.dispatchLatency.get();
      expect(latency.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBeGreaterThanOrEqual(1);
    } finally {
      await slowPoll.close();
    }
  });

  it('stores an order whose every kind is switched off as skipped, and starts no workflow', async () => {
    const settings = sandboxSettings();
    settings.products = { ...settings.products, enabled: false };
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, { settings });
    await api.app.inject(
      delivery(webhookSecret, orderPaidEvent(tenantId, { id: 'ord_off' }), { id: 'evt_off' }),
    );
    const row = await dispatchedRow('evt_off');
    expect(row.status).toBe('skipped');
    expect(row.lastError).toMatch(/switched off/);
    const order = await loadOrderRow(database.db, tenantId, 'ord_off');
    expect(order?.status).toBe('skipped');
    expect(JSON.stringify(order?.steps)).toMatch(/switched off/);
    await expect(
      temporal.client.workflow.getHandle(`order-sync:${tenantId}:ord_off`).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('still starts the workflow of a tenant without settings, so the order parks with a message instead of vanishing', async () => {
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, { settings: null });
    await api.app.inject(
      delivery(webhookSecret, orderPaidEvent(tenantId, { id: 'ord_unset' }), { id: 'evt_unset' }),
    );
    expect((await dispatchedRow('evt_unset')).status).toBe('dispatched');
    const description = await temporal.client.workflow
      .getHandle(`order-sync:${tenantId}:ord_unset`)
      .describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('starts one workflow when the same order arrives as two different events', async () => {
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, {
      settings: sandboxSettings(),
    });
    const event = orderPaidEvent(tenantId, { id: 'ord_twice' });
    await api.app.inject(delivery(webhookSecret, event, { id: 'evt_twice_a' }));
    await api.app.inject(delivery(webhookSecret, event, { id: 'evt_twice_b' }));
    const [a, b] = [await dispatchedRow('evt_twice_a'), await dispatchedRow('evt_twice_b')];
    expect([a.status, b.status]).toEqual(['dispatched', 'dispatched']);
    const runs = await countWorkflows(`WorkflowId = "order-sync:${tenantId}:ord_twice"`, 1);
    expect(runs).toBe(1);
  });
});

describe('subscriptions', () => {
  it('turns subscription events into signals, starting the subscription workflow when it does not exist, in arrival order', async () => {
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, {
      settings: sandboxSettings(),
    });
    const base = { tenantId, createdAt: '2026-12-04T10:00:00Z' };
    const renewed = {
      ...base,
      type: 'subscription.renewed',
      data: {
        subscriptionId: 'sub_5',
        orderId: 'ord_1001',
        cycle: 2,
        chargedAt: '2027-03-04T10:00:00Z',
        payment: { id: 'pay_2', amount: '54.10' },
      },
    };
    const updated = {
      ...base,
      type: 'subscription.updated',
      data: { subscriptionId: 'sub_5', intervalCount: 6 },
    };
    const canceled = {
      ...base,
      type: 'subscription.canceled',
      data: { subscriptionId: 'sub_5', canceledAt: '2027-04-01T10:00:00Z', reason: 'moved away' },
    };
    for (const [index, event] of [renewed, updated, canceled].entries()) {
      const response = await api.app.inject(delivery(webhookSecret, event, { id: `evt_sub_${index}` }));
      expect(response.statusCode).toBe(202);
    }
    for (const index of [0, 1, 2])
      expect((await dispatchedRow(`evt_sub_${index}`)).status).toBe('dispatched');

    const handle = temporal.client.workflow.getHandle(`subscription:${tenantId}:sub_5`);
    const description = await handle.describe();
    expect(description.type).toBe('subscriptionWorkflow');
    expect(description.typedSearchAttributes.get(TenantIdKey)).toBe(tenantId);
    expect(description.typedSearchAttributes.get(SubscriptionIdKey)).toBe('sub_5');
    const history = await handle.fetchHistory();
    const signals = (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
      .filter((name): name is string => Boolean(name));
    expect(signals).toEqual(['renewed', 'updated', 'canceled']);
  });
});

describe('while Temporal is down', () => {
  it('accepts webhooks with 202, keeps the events pending with the reason, and dispatches them once Temporal is back', async () => {
    // A database of its own: this file's other dispatcher (with a working client) must not help out.
    const isolated = await freshDatabase();
    const { tenantId, webhookSecret } = await seedTenant(isolated.db, secrets, {
      settings: sandboxSettings(),
    });
    const row = async (eventId: string) =>
      (await isolated.db.select().from(webhookInbox).where(eq(webhookInbox.eventId, eventId)))[0];
    const down = await createTestApp({
      db: isolated.db,
      secrets,
      client: await unreachableTemporalClient(),
      taskQueue,
      dispatcher: { rpcTimeoutMs: 300, retryBaseMs: 200, retryMaxMs: 400, pollIntervalMs: 50 },
    });
    const eventIds = ['evt_down_1', 'evt_down_2', 'evt_down_3'];
    try {
      for (const [index, eventId] of eventIds.entries()) {
        const started = Date.now();
        const response = await down.app.inject(
          delivery(webhookSecret, orderPaidEvent(tenantId, { id: `ord_down_${index}` }), { id: eventId }),
        );
        expect(response.statusCode).toBe(202);
        expect(Date.now() - started).toBeLessThan(1000);
      }
      await eventually(async () => {
        const rows = await isolated.db
          .select()
          .from(webhookInbox)
          .where(inArray(webhookInbox.eventId, eventIds));
        return rows.length === 3 && rows.every((r) => r.status === 'pending' && r.attempts >= 2);
      }, 'each event to be tried (and retried) while Temporal is down');
      const pending = await row('evt_down_1');
      expect(pending?.lastError).toMatch(/Temporal is unreachable/);
      expect(pending?.dispatchedAt).toBeNull();
    } finally {
      await down.close();
    }

    // "Temporal is back": a dispatcher with a working client (as after a restart) picks up where it left off.
    const dispatcher = startDispatcher({
      db: isolated.db,
      client: temporal.client,
      taskQueue,
      logger: silent,
      pollIntervalMs: 50,
    });
    try {
      for (const eventId of eventIds) {
        const dispatched = await eventually(async () => {
          const r = await row(eventId);
          return r?.status === 'dispatched' ? r : undefined;
        }, `${eventId} to be dispatched`);
        expect(dispatched.lastError).toBeNull();
      }
      for (const index of [0, 1, 2]) {
        const description = await temporal.client.workflow
          .getHandle(`order-sync:${tenantId}:ord_down_${index}`)
          .describe();
        expect(description.status.name).toBe('RUNNING');
      }
    } finally {
      await dispatcher.stop();
      await isolated.drop();
    }
  });
});

describe('under load', () => {
  it('100 concurrent deliveries of 20 distinct orders, to two API processes, start exactly 20 workflows', async () => {
    const queue = taskQueueFor('api dispatcher load');
    // A database of its own, so only the two "processes" below dispatch these events.
    const load = await freshDatabase();
    const { tenantId, webhookSecret } = await seedTenant(load.db, secrets, {
      settings: sandboxSettings(),
    });
    // Two "processes": separate apps and dispatchers over the same database.
    const first = await createTestApp({
      db: load.db,
      secrets,
      client: temporal.client,
      taskQueue: queue,
      dispatcher: {},
    });
    const second = await createTestApp({
      db: load.db,
      secrets,
      client: temporal.client,
      taskQueue: queue,
      dispatcher: {},
    });
    try {
      const deliveries = Array.from({ length: 100 }, (_, n) => {
        const order = n % 20;
        // Per order: three deliveries of one event (store retries) and two other events for the same order.
        const variant = Math.floor(n / 20);
        const eventId = variant < 3 ? `evt_load_${order}` : `evt_load_${order}_${variant}`;
        const app = n % 2 === 0 ? first.app : second.app;
        return app.inject(
          delivery(webhookSecret, orderPaidEvent(tenantId, { id: `ord_load_${order}` }), { id: eventId }),
        );
      });
      const responses = await Promise.all(deliveries);
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 202)).toHaveLength(60);
      expect(statuses.filter((s) => s === 200)).toHaveLength(40);

      await eventually(
        async () => {
          const pending = await load.db.select().from(webhookInbox).where(eq(webhookInbox.status, 'pending'));
          return pending.filter((row) => row.tenantId === tenantId).length === 0;
        },
        'every event to be dispatched',
        60_000,
      );
      const rows = await load.db.select().from(webhookInbox).where(eq(webhookInbox.tenantId, tenantId));
      expect(rows).toHaveLength(60);
      expect(rows.every((row) => row.status === 'dispatched')).toBe(true);
      // Each event was claimed and dispatched once, by one of the two processes.
      expect(rows.every((row) => row.attempts === 1)).toBe(true);

      expect(await countWorkflows(`TaskQueue = "${queue}"`, 20)).toBe(20);
      for (let order = 0; order < 20; order += 1) {
        const description = await temporal.client.workflow
          .getHandle(`order-sync:${tenantId}:ord_load_${order}`)
          .describe();
        expect(description.status.name).toBe('RUNNING');
      }
    } finally {
      await first.close();
      await second.close();
      await terminateWorkflowsOn(temporal.client, [queue]);
      await load.drop();
    }
  });
});

/** Workflow executions matching `query`, once visibility has caught up with `expected` (then stable). */
async function countWorkflows(query: string, expected: number): Promise<number> {
  const count = async () => (await temporal.client.workflow.count(query)).count;
  await eventually(async () => (await count()) >= expected, `visibility to show ${expected} for ${query}`);
  // A moment more, so a late extra start would show up too.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return count();
}
