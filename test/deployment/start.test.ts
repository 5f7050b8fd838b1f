import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sendOrder, waitForOrder } from '../../scripts/send-order.js';
import { workerIsPolling } from '../../scripts/worker-health.js';
import { createServiceTitanClient } from '../../servicetitan/client.js';
import { SANDBOX_TENANT } from '../../servicetitan/sandbox/seed.js';
import { OrderKindKey, SyncStatusKey, TenantIdKey } from '../../workflows/search-attributes.js';
import { freshDatabase } from '../helpers/database.js';
import { serviceTitanState } from '../helpers/servicetitan-state.js';
import { taskQueueFor } from '../helpers/temporal.js';
import { waitFor } from '../helpers/wait-for.js';
import { freeFixedPort, logRecords, startSupervisor } from './supervisor-process.js';

const sandboxClient = (sandboxUrl: string) =>
  createServiceTitanClient({
    environment: 'sandbox',
    tenantId: SANDBOX_TENANT.tenantId,
    clientId: SANDBOX_TENANT.clientId,
    clientSecret: SANDBOX_TENANT.clientSecret,
    appKey: SANDBOX_TENANT.appKey,
    baseUrl: sandboxUrl,
  });

describe('npm start against the test run’s Postgres and Temporal', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    dataDir = mkdtempSync(`${tmpdir()}/order-sync-start-`);
    env = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      // A task queue of its own, so the supervisor's worker never takes another test's tasks.
      TEMPORAL_TASK_QUEUE: taskQueueFor('npm start'),
      PORT: String(await freeFixedPort()),
      SANDBOX_PORT: String(await freeFixedPort()),
    };
  });

  afterAll(async () => {
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches ready, syncs a sent order, stops on Ctrl-C and keeps everything for the next start', async () => {
    const first = startSupervisor(env);
    const ready = await first.ready;
    expect(ready.apiUrl).toBe(`http://127.0.0.1:${env.PORT}`);
    expect(ready.sandboxUrl).toBe(`http://127.0.0.1:${env.SANDBOX_PORT}`);
    expect(ready.demoTenantId).toBe('demo');
    expect(ready.sendOrder).toContain('npm run send-order');
    const readyz = await fetch(`${ready.apiUrl}/readyz`);
    expect(readyz.status).toBe(200);
    expect((await fetch(ready.docsUrl)).status).toBe(200);

    const secret = ready.demoSigningSecret as string;
    expect(readFileSync(`${dataDir}/demo-webhook-secret`, 'utf8').trim()).toBe(secret);
    const sent = await sendOrder({
      apiUrl: ready.apiUrl,
      tenantId: 'demo',
      webhookSecret: secret,
      kind: 'mixed',
      subscription: false,
    });
    expect(sent.status).toBe(202);
    const synced = await waitForOrder({
      apiUrl: ready.apiUrl,
      apiToken: ready.apiBearerToken,
      tenantId: 'demo',
      orderId: sent.order.id,
      timeoutMs: 60_000,
    });
    expect(synced).toMatchObject({ status: 'synced', lastError: null });

    // In the sandbox: one job per kind, each invoiced and paid once.
    const st = sandboxClient(ready.sandboxUrl as string);
    const inServiceTitan = await serviceTitanState({ st }, sent.order.id);
    expect(inServiceTitan.activeJobs).toHaveLength(2);
    expect(inServiceTitan.payments).toHaveLength(1);

    // In Temporal, with the search attributes operators filter by; and the worker passes its health check.
    const connection = await Connection.connect({ address: ready.temporalAddress });
    try {
      const client = new Client({ connection, namespace: ready.namespace });
      const description = await client.workflow.getHandle(sent.workflowId).describe();
      expect(description.typedSearchAttributes.get(TenantIdKey)).toBe('demo');
      expect(description.typedSearchAttributes.get(OrderKindKey)).toBe('mixed');
      expect(description.typedSearchAttributes.get(SyncStatusKey)).toBe('synced');
      const health = await workerIsPolling({
        client,
        namespace: ready.namespace,
        taskQueue: ready.taskQueue,
      });
      expect(health.healthy).toBe(true);
      const other = await workerIsPolling({
        client,
        namespace: ready.namespace,
        taskQueue: taskQueueFor('nobody'),
      });
      expect(other.healthy).toBe(false);
    } finally {
      await connection.close();
    }

    expect(await first.stop('SIGINT')).toBe(0);
    const messages = logRecords(first.stdout).map((record) => record.msg);
    expect(messages).toContain('worker stopped');
    expect(messages.at(-1)).toBe('stopped');
    expect(existsSync(`${dataDir}/runtime.json`)).toBe(false);

    // The restart finds everything: same token and secret, the tenant, the order, the sandbox's records.
    const second = startSupervisor(env);
    const again = await second.ready;
    expect(again.apiBearerToken).toBe(ready.apiBearerToken);
    expect(again.demoSigningSecret).toBe(secret);
    const order = await fetch(`${again.apiUrl}/api/orders/demo/${sent.order.id}`, {
      headers: { authorization: `Bearer ${again.apiBearerToken}` },
    });
    expect(await order.json()).toMatchObject({ status: 'synced' });
    const afterRestart = await serviceTitanState(
      { st: sandboxClient(again.sandboxUrl as string) },
      sent.order.id,
    );
    expect(afterRestart.activeJobs.map((job) => job.id).sort()).toEqual(
      inServiceTitan.activeJobs.map((job) => job.id).sort(),
    );
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('says in one line which port is taken, and starts nothing', async () => {
    const blocker: Server = createServer();
    const port = await freeFixedPort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const run = startSupervisor({ ...env, PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.stderr.filter((line) => line.trim())).toEqual([
        `Port ${port} (PORT, the API) is already in use: stop whatever listens there (another npm start?) or choose another port, e.g. PORT=${port + 100} npm start.`,
      ]);
      expect(
        logRecords(run.stdout).filter((record) => record.level === 30 && record.msg !== 'stopped'),
      ).toEqual([]);
      expect(existsSync(`${dataDir}/npm-start.pid`)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('names each invalid variable in one message', async () => {
    const run = startSupervisor({ ...env, PORT: 'eighty', SANDBOX_PORT: '70000' });
    expect(await run.exited).toBe(1);
    const message = run.stderr.join('\n');
    expect(message).toContain('npm start cannot use this configuration');
    expect(message).toContain('PORT: PORT must be a port number');
    expect(message).toContain('SANDBOX_PORT: SANDBOX_PORT must be between 0 and 65535');
  });
});

describe('npm start on embedded defaults (its own Postgres and Temporal dev server under DATA_DIR)', () => {
  let dataDir: string;
  const embeddedEnv = async () => ({
    DATA_DIR: dataDir,
    PORT: String(await freeFixedPort()),
    SANDBOX_PORT: String(await freeFixedPort()),
    TEMPORAL_PORT: String(await freeFixedPort()),
    TEMPORAL_UI_PORT: String(await freeFixedPort()),
  });

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends with one message that says what to do when the Temporal database is damaged', async () => {
    const damaged = mkdtempSync(`${tmpdir()}/order-sync-damaged-`);
    try {
      writeFileSync(`${damaged}/temporal.sqlite`, randomBytes(64 * 1024));
      const run = startSupervisor({ ...(await embeddedEnv()), DATA_DIR: damaged });
      expect(await run.exited).toBe(1);
      const message = run.stderr.filter((line) => line.trim());
      expect(message).toHaveLength(1);
      expect(message[0]).toMatch(/temporal\.sqlite: the file is damaged .* Move it away \(mv /);
      expect(existsSync(`${damaged}/temporal-dev-server.pid`)).toBe(false);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });

  it('resumes an order that was in flight at Ctrl-C after a restart, creating nothing twice', async () => {
    dataDir = mkdtempSync(`${tmpdir()}/order-sync-embedded-`);
    const env = await embeddedEnv();
    const first = startSupervisor(env);
    const ready = await first.ready;
    expect(ready.temporalAddress).toBe(`127.0.0.1:${env.TEMPORAL_PORT}`);
    expect(ready.temporalUiUrl).toBe(`http://localhost:${env.TEMPORAL_UI_PORT}`);
    // The UI starts beside the server's frontend; give it a moment.
    const ui = await waitFor(
      () =>
        fetch(ready.temporalUiUrl as string).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      15_000,
    );
    expect(ui).toBe(200);

    // Slow ServiceTitan down (faults live in memory: the restarted sandbox is fast again).
    await fetch(`${ready.sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 700 }),
    });
    const sent = await sendOrder({
      apiUrl: ready.apiUrl,
      tenantId: 'demo',
      webhookSecret: ready.demoSigningSecret as string,
      kind: 'product',
      subscription: false,
    });
    expect(sent.status).toBe(202);
    // Stop while the sync is underway (each ServiceTitan call now takes 0.7 s, a product order ~10 calls).
    const underway = await waitFor(
      async () => {
        const response = await fetch(`${ready.apiUrl}/api/orders/demo/${sent.order.id}`, {
          headers: { authorization: `Bearer ${ready.apiBearerToken}` },
        });
        return response.ok ? ((await response.json()) as { status: string }).status : 'not yet received';
      },
      (status) => status !== 'not yet received' && status !== 'received',
      15_000,
    );
    expect(underway).toBe('syncing');
    expect(await first.stop('SIGINT')).toBe(0);

    const second = startSupervisor(env);
    const again = await second.ready;
    const synced = await waitForOrder({
      apiUrl: again.apiUrl,
      apiToken: again.apiBearerToken,
      tenantId: 'demo',
      orderId: sent.order.id,
      timeoutMs: 60_000,
    });
    expect(synced.status).toBe('synced');
    const inServiceTitan = await serviceTitanState(
      { st: sandboxClient(again.sandboxUrl as string) },
      sent.order.id,
    );
    expect(inServiceTitan.jobs).toHaveLength(1);
    expect(inServiceTitan.payments).toHaveLength(1);
    expect(await second.stop('SIGINT')).toBe(0);
    for (const kept of [
      'postgres/PG_VERSION',
      'temporal.sqlite',
      'sandbox-state.json',
      'api-token',
      'encryption-key',
    ]) {
      expect(existsSync(`${dataDir}/${kept}`), kept).toBe(true);
    }
  });
});
