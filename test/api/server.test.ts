import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiServer } from '../../api/server.js';
import { webhookInbox } from '../../db/schema.js';
import { createSecretBox } from '../../db/secret-box.js';
import { exampleSandboxSettings as sandboxSettings } from '../../servicetitan/sandbox/example-settings.js';
import { freshDatabase } from '../helpers/database.js';
import { connectToDevServer, taskQueueFor } from '../helpers/temporal.js';
import {
  API_TOKEN,
  eventually,
  logCapture,
  orderPaidEvent,
  seedTenant,
  signedHeaders,
  terminateWorkflowsOn,
} from './harness.js';

// The API as a process serves it: over a real port, and `api/main.ts` started from its environment.

const taskQueue = taskQueueFor('api server');
let database: Awaited<ReturnType<typeof freshDatabase>>;
let temporal: Awaited<ReturnType<typeof connectToDevServer>>;

beforeAll(async () => {
  database = await freshDatabase();
  temporal = await connectToDevServer();
});

afterAll(async () => {
  if (temporal) {
    await terminateWorkflowsOn(temporal.client, [taskQueue]);
    await temporal.close();
  }
  await database?.drop();
});

describe('startApiServer', () => {
  it('listens on a port, stores a webhook, dispatches it and shuts down cleanly', async () => {
    const secrets = createSecretBox(randomBytes(32));
    const capture = logCapture();
    const { tenantId, webhookSecret } = await seedTenant(database.db, secrets, {
      settings: sandboxSettings(),
    });
    const api = await startApiServer({
      db: database.db,
      secrets,
      temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue },
      apiToken: API_TOKEN,
      logger: { level: 'info', stream: capture.stream },
      port: 0,
      host: '127.0.0.1',
    });
    try {
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
      const body = JSON.stringify(orderPaidEvent(tenantId, { id: 'ord_http' }));
      const response = await fetch(`${api.url}/webhooks/contractor-commerce`, {
        method: 'POST',
        headers: signedHeaders(webhookSecret, body, { id: 'evt_http' }),
        body,
      });
      expect(response.status).toBe(202);
      await eventually(async () => {
        const [row] = await database.db
          .select()
          .from(webhookInbox)
          .where(eq(webhookInbox.eventId, 'evt_http'));
        return row?.status === 'dispatched';
      }, 'the event to be dispatched');
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics).toMatch(/order_sync_dispatch_latency_seconds_count\{type="order.paid"\} 1/);
      // The process-wide default metrics come with the server.
      expect(metrics).toContain('process_cpu_user_seconds_total');
    } finally {
      await api.close();
    }
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
  });
});

describe('api/main.ts', () => {
  it('starts from its environment, reports ready, and stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../../api/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const child: ChildProcess = spawn(tsx, [main], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        API_TOKEN,
        PORT: '0',
        HOST: '127.0.0.1',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await eventually(
        () => /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1],
        `the API to print its URL (output so far: ${output})`,
        60_000,
      );
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true });
      const orders = await fetch(`${url}/api/orders`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      expect(orders.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('API stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
