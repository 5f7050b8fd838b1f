import { randomBytes, randomUUID } from 'node:crypto';
import { Client, type WorkflowHandle } from '@temporalio/client';
import {
  bundleWorkflowCode,
  type NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createOrderSyncActivities } from '../../activities/index.js';
import { insertReceivedOrder, loadOrderRow } from '../../db/orders.js';
import { createSecretBox } from '../../db/secret-box.js';
import { saveTenant, saveTenantSettings } from '../../db/tenants.js';
import { customerDisplayName } from '../../domain/names.js';
import { type OrderInput, orderKind, orderSchema } from '../../domain/order.js';
import type { SettingsInput } from '../../domain/settings.js';
import { createServiceTitanClient } from '../../servicetitan/client.js';
import { exampleSandboxSettings as sandboxSettings } from '../../servicetitan/sandbox/example-settings.js';
import { SANDBOX_TENANT } from '../../servicetitan/sandbox/seed.js';
import { startSandbox } from '../../servicetitan/sandbox/server.js';
import { dataConverterFromEnv } from '../../temporal/payload-codec.js';
import { orderSyncWorkerOptions, workflowsPath } from '../../worker.js';
import {
  ORDER_SYNC_WORKFLOW,
  type OrderSyncResult,
  orderSyncWorkflowId,
} from '../../workflows/definitions.js';
import { OrderIdKey, OrderKindKey, SyncStatusKey, TenantIdKey } from '../../workflows/search-attributes.js';
import { freshDatabase } from './database.js';
import { connectToDevServer, taskQueueFor } from './temporal.js';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The production workflow bundle, built once per test file (webpack takes seconds on two cores). */
export function productionBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath,
    logger: { error: console.error, warn() {}, info() {}, debug() {}, trace() {}, log() {} },
  });
  return bundle;
}

/**
 * Everything an OrderSyncWorkflow test needs, real parts only: the ServiceTitan sandbox over HTTP,
 * a private Postgres database, a worker with the production workflows and activities on a task
 * queue of the file's own, a tenant connected to the sandbox, and a client to check ServiceTitan.
 */
export interface TemporalConnections {
  client: Client;
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}

export async function createOrderSyncHarness(
  name: string,
  options: { temporal?: TemporalConnections; payloadEncryptionKey?: string } = {},
) {
  const sandbox = await startSandbox({ port: 0 });
  const database = await freshDatabase();
  const secrets = createSecretBox(randomBytes(32));
  const temporal: TemporalConnections = options.temporal ?? (await connectToDevServer());
  const taskQueue = taskQueueFor(name);
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const connection = {
    environment: 'sandbox' as const,
    tenantId: SANDBOX_TENANT.tenantId,
    clientId: SANDBOX_TENANT.clientId,
    clientSecret: SANDBOX_TENANT.clientSecret,
    appKey: SANDBOX_TENANT.appKey,
    baseUrl: sandbox.url,
  };
  await saveTenant(database.db, secrets, {
    id: tenantId,
    name,
    timeZone: 'America/Chicago',
    serviceTitan: connection,
    webhookSecrets: [`whsec_${randomBytes(24).toString('base64')}`],
  });
  await saveTenantSettings(database.db, tenantId, sandboxSettings());

  const startWorker = async () => {
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue,
      workflowBundle: await productionBundle(),
      activities: createOrderSyncActivities({ db: database.db, secrets }),
      ...orderSyncWorkerOptions({
        WORKER_MAX_CONCURRENT_ACTIVITIES: 20,
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 10,
        WORKER_MAX_CACHED_WORKFLOWS: 50,
        PAYLOAD_ENCRYPTION_KEY: options.payloadEncryptionKey,
      }),
      shutdownGraceTime: '1 second',
    });
    const running = worker.run();
    return { worker, running };
  };
  let current = await startWorker();

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`sandbox ${method} ${path} → ${response.status}: ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };

  const harness = {
    tenantId,
    taskQueue,
    sandbox,
    database,
    db: database.db,
    /** Reads and writes payloads as the worker does (decrypting them when a payload key is set). */
    client: options.payloadEncryptionKey
      ? new Client({
          connection: temporal.client.connection,
          namespace: temporal.client.options.namespace,
          dataConverter: dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: options.payloadEncryptionKey }),
        })
      : temporal.client,
    /** The client without the codec: what Temporal itself stores. */
    rawClient: temporal.client,
    st: createServiceTitanClient(connection),

    async useSettings(change: (settings: SettingsInput) => void) {
      const settings = sandboxSettings();
      change(settings);
      await saveTenantSettings(database.db, tenantId, settings);
    },

    /** Stores the order as the dispatcher does when its webhook arrives. */
    async receive(input: OrderInput) {
      const order = orderSchema.parse(input);
      await insertReceivedOrder(database.db, {
        tenantId,
        orderId: order.id,
        orderNumber: order.number,
        kind: orderKind(order),
        order,
        workflowId: orderSyncWorkflowId(tenantId, order.id),
      });
      return order;
    },

    start(orderId: string, kind = 'product'): Promise<WorkflowHandle> {
      return harness.client.workflow.start(ORDER_SYNC_WORKFLOW, {
        taskQueue,
        workflowId: orderSyncWorkflowId(tenantId, orderId),
        args: [{ tenantId, orderId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [
          { key: TenantIdKey, value: tenantId },
          { key: OrderIdKey, value: orderId },
          { key: OrderKindKey, value: kind },
          { key: SyncStatusKey, value: 'received' },
        ],
      });
    },

    /** Receives, starts and waits for the order's sync. */
    async sync(input: OrderInput): Promise<OrderSyncResult> {
      const order = await harness.receive(input);
      const handle = await harness.start(order.id, orderKind(order));
      return resultOrStatus(handle);
    },

    async orderRow(orderId: string) {
      return loadOrderRow(database.db, tenantId, orderId);
    },

    customerName: (input: OrderInput) =>
      customerDisplayName(input.customer.firstName, input.customer.lastName),

    reset: () => control('POST', 'reset'),
    faults: (config: unknown) => control('POST', 'faults', config),
    requests: () => control('GET', 'requests') as Promise<{ total: number; byRoute: Record<string, number> }>,
    clearRequests: () => control('DELETE', 'requests'),
    patchEntity: (collection: string, id: number, patch: unknown) =>
      control('PATCH', `entities/${collection}/${id}`, patch),

    /** Stops the worker as a crash would leave it (in-flight activities are retried by the next one). */
    async restartWorker() {
      current.worker.shutdown();
      await current.running;
      current = await startWorker();
    },

    async close() {
      current.worker.shutdown();
      await current.running;
      await temporal.close();
      await database.drop();
      await sandbox.close();
    },
  };
  return harness;
}

/**
 * The workflow's result, or — when it is parked or stuck — a failure that shows its `status` query,
 * so a failing test says which step stopped and why instead of timing out silently.
 */
export async function resultOrStatus<T>(handle: WorkflowHandle, timeoutMs = 45_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      // A query needs a worker; describe does not: show both, never hang on either.
      const within = <V>(promise: Promise<V>) =>
        Promise.race([promise, new Promise<string>((r) => setTimeout(() => r('(no answer in 5 s)'), 5000))]);
      const described = await within(handle.describe()).catch((error: unknown) => String(error));
      const query = await within(handle.query('status')).catch((error: unknown) => String(error));
      const status = {
        execution: typeof described === 'string' ? described : described.status.name,
        pendingActivities:
          typeof described === 'string'
            ? []
            : described.raw.pendingActivities?.map((a) => a.activityType?.name),
        query,
      };
      reject(
        new Error(
          `workflow ${handle.workflowId} did not finish in ${timeoutMs} ms; status: ${JSON.stringify(status, null, 2)}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return (await Promise.race([handle.result(), timeout])) as T;
  } finally {
    clearTimeout(timer);
  }
}

export type OrderSyncHarness = Awaited<ReturnType<typeof createOrderSyncHarness>>;
