import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookInbox } from '../db/schema.js';
import { freshDatabase } from './helpers/database.js';
import { connectToDevServer, createTimeSkippingEnvironment, taskQueueFor } from './helpers/temporal.js';
import { echo, sleepForDays } from './workflows/timers.js';

const workflowsPath = fileURLToPath(new URL('./workflows/timers.ts', import.meta.url));
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath,
    logger: { warn() {}, info() {}, debug() {}, trace() {}, error: console.error, log() {} },
  });
});

describe('the Temporal dev server', () => {
  it('runs a workflow on a task queue of the test own', async () => {
    const temporal = await connectToDevServer();
    const taskQueue = taskQueueFor('dev server echo');
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
    });
    const result = await worker.runUntil(
      temporal.client.workflow.execute(echo, {
        taskQueue,
        workflowId: `echo-${randomUUID()}`,
        args: ['hello'],
      }),
    );
    expect(result).toBe('echo: hello');
    await temporal.close();
  });
});

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let startupMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    env = await createTimeSkippingEnvironment();
    startupMs = performance.now() - started;
    console.log(`[measure] time-skipping test server start: ${Math.round(startupMs)} ms`);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('lets a 30-day timer pass without waiting 30 days', async () => {
    const taskQueue = taskQueueFor('time skipping');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
    });
    const wallStart = Date.now();
    const { elapsedMs } = await worker.runUntil(
      env.client.workflow.execute(sleepForDays, {
        taskQueue,
        workflowId: `sleep-${randomUUID()}`,
        args: [30],
      }),
    );
    const wallMs = Date.now() - wallStart;
    console.log(`[measure] 30-day timer: ${wallMs} ms of wall time`);
    expect(elapsedMs).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    // Not a timing assertion: a real 30-day wait could never finish inside the test timeout.
    expect(wallMs).toBeLessThan(elapsedMs);
  });
});

describe('the test database', () => {
  it('is migrated and private to the test', async () => {
    const a = await freshDatabase();
    const b = await freshDatabase();
    await a.db
      .insert(webhookInbox)
      .values({ eventId: 'evt_1', tenantId: 'demo', type: 'order.paid', payload: {} });
    expect(await a.db.select().from(webhookInbox).where(eq(webhookInbox.eventId, 'evt_1'))).toHaveLength(1);
    expect(await b.db.select().from(webhookInbox)).toHaveLength(0);
    await a.drop();
    await b.drop();
  });

  it('refuses a second inbox row with the same event id', async () => {
    const database = await freshDatabase();
    const row = { eventId: 'evt_dup', tenantId: 'demo', type: 'order.paid', payload: {} };
    await database.db.insert(webhookInbox).values(row);
    await expect(database.db.insert(webhookInbox).values(row)).rejects.toThrow();
    await database.drop();
  });
});
