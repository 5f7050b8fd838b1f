import { randomBytes, randomUUID } from 'node:crypto';
import { type Client, Connection, Client as TemporalClient } from '@temporalio/client';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { type ApiDeps, buildApp } from '../../api/app.js';
import { type Dispatcher, type DispatcherOptions, startDispatcher } from '../../api/dispatcher.js';
import { createApiLogger } from '../../api/logger.js';
import { createMetrics } from '../../api/metrics.js';
import type { Database } from '../../db/client.js';
import { createSecretBox, type SecretBox } from '../../db/secret-box.js';
import { saveTenant, saveTenantSettings } from '../../db/tenants.js';
import type { OrderInput } from '../../domain/order.js';
import { type SampleOrderOptions, sampleOrder } from '../../domain/sample-order.js';
import type { SettingsInput } from '../../domain/settings.js';
import { freePort } from '../../scripts/tools/free-port.js';
import { SANDBOX_TENANT } from '../../servicetitan/sandbox/seed.js';

export const API_TOKEN = `test-token-${randomBytes(12).toString('hex')}`;

/** Log lines captured from the app (and dispatcher), for assertions on what is logged. */
export function logCapture() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function uniqueTenantId(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A Temporal client whose server does not exist: every call fails as it does while Temporal is down. */
export async function unreachableTemporalClient(): Promise<Client> {
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  return new TemporalClient({ connection, namespace: 'default' });
}

export function sandboxConnection(sandboxUrl: string) {
  return {
    environment: 'sandbox' as const,
    tenantId: SANDBOX_TENANT.tenantId,
    clientId: SANDBOX_TENANT.clientId,
    clientSecret: SANDBOX_TENANT.clientSecret,
    appKey: SANDBOX_TENANT.appKey,
    baseUrl: sandboxUrl,
  };
}

/** A tenant stored directly (not through the API), connected to the sandbox, with one webhook secret. */
export async function seedTenant(
  db: Database,
  secrets: SecretBox,
  options: {
    sandboxUrl?: string;
    settings?: SettingsInput | null;
    webhookSecrets?: string[];
    id?: string;
  } = {},
) {
  const tenantId = options.id ?? uniqueTenantId();
  const webhookSecrets = options.webhookSecrets ?? [newWebhookSecret()];
  await saveTenant(db, secrets, {
    id: tenantId,
    name: `Tenant ${tenantId}`,
    timeZone: 'America/Chicago',
    serviceTitan: sandboxConnection(options.sandboxUrl ?? 'http://127.0.0.1:9'),
    webhookSecrets,
  });
  if (options.settings) await saveTenantSettings(db, tenantId, options.settings);
  return { tenantId, webhookSecret: webhookSecrets[0] as string, webhookSecrets };
}

export function orderPaidEvent(tenantId: string, order: OrderInput | SampleOrderOptions) {
  const data = 'lines' in order && 'payment' in order ? order : sampleOrder(order as SampleOrderOptions);
  return { type: 'order.paid', tenantId, createdAt: '2026-12-04T10:00:00Z', data };
}

/** Standard Webhooks headers for `body`, signed with `secret` (as the store sends them). */
export function signedHeaders(
  secret: string,
  body: string,
  options: { id?: string; timestamp?: Date } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

/** A signed POST of `event` to the webhook route, ready for `app.inject`. */
export function delivery(
  secret: string,
  event: unknown,
  options: { id?: string; timestamp?: Date } = {},
): InjectOptions {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return {
    method: 'POST',
    url: '/webhooks/contractor-commerce',
    headers: signedHeaders(secret, body, options),
    payload: body,
  };
}

export function authorized(options: InjectOptions): InjectOptions {
  return { ...options, headers: { ...options.headers, authorization: `Bearer ${API_TOKEN}` } };
}

export interface TestApp {
  app: FastifyInstance;
  logs: string[];
  metrics: ReturnType<typeof createMetrics>;
  dispatcher?: Dispatcher;
  close(): Promise<void>;
}

/** The app as production builds it, over the given database and Temporal client, logs captured. */
export async function createTestApp(options: {
  db: Database;
  secrets?: SecretBox;
  client: Client;
  namespace?: string;
  taskQueue: string;
  uiBaseUrl?: string;
  dispatcher?: Partial<Omit<DispatcherOptions, 'db' | 'client' | 'taskQueue' | 'logger' | 'metrics'>> | false;
  extra?: Partial<ApiDeps>;
}): Promise<TestApp> {
  const capture = logCapture();
  const metrics = createMetrics();
  const secrets = options.secrets ?? createSecretBox(randomBytes(32));
  const logger = createApiLogger({ level: 'trace', stream: capture.stream });
  const dispatcher =
    options.dispatcher === false || options.dispatcher === undefined
      ? undefined
      : startDispatcher({
          pollIntervalMs: 100,
          retryBaseMs: 100,
          rpcTimeoutMs: 2000,
          ...options.dispatcher,
          db: options.db,
          client: options.client,
          taskQueue: options.taskQueue,
          logger: logger.child({ component: 'dispatcher' }),
          metrics,
        });
  const app = await buildApp({
    db: options.db,
    secrets,
    temporal: {
      client: options.client,
      namespace: options.namespace ?? 'default',
      taskQueue: options.taskQueue,
      uiBaseUrl: options.uiBaseUrl,
    },
    apiToken: API_TOKEN,
    logger,
    metrics,
    dispatcher,
    temporalTimeoutMs: 3000,
    ...options.extra,
  });
  return {
    app,
    logs: capture.lines,
    metrics,
    dispatcher,
    async close() {
      await app.close();
      await dispatcher?.stop();
    },
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Terminates every running workflow on the task queues (tests start workflows no worker finishes). */
export async function terminateWorkflowsOn(client: Client, taskQueues: string[]): Promise<void> {
  for (const taskQueue of taskQueues) {
    for await (const execution of client.workflow.list({
      query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`,
    })) {
      await client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .terminate('test finished')
        .catch(() => {});
    }
  }
}
