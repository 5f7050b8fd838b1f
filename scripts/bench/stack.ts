import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import postgres from 'postgres';
import { migrate } from '../../db/migrate.js';
import { allSearchAttributes } from '../../workflows/search-attributes.js';
import { freePort } from '../tools/free-port.js';
import { startPostgres } from '../tools/postgres.js';
import { ensureTemporalCli } from '../tools/temporal-cli.js';
import { type ChildComponent, startChild } from './child.js';
import { say } from './progress.js';

/** Where the benchmark sends orders and what it measures. */
export interface BenchStack {
  databaseUrl: string;
  encryptionKey: string;
  apiUrl: string;
  sandboxUrl: string;
  /** The worker process, for its RSS; null when reusing a stack without WORKER_PID. */
  workerPid: number | null;
  teardown(): Promise<void>;
}

const BENCH_DATABASE = 'order_sync_bench';

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return response.ok;
}

/** A running stack (`npm start`, or production-like services), named by environment variables. */
export function reuseStack(env: NodeJS.ProcessEnv): BenchStack {
  const missing = ['DATABASE_URL', 'ENCRYPTION_KEY', 'API_URL', 'SANDBOX_URL'].filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `--reuse needs ${missing.join(', ')} (the stack's database, encryption key, API and ServiceTitan sandbox URLs; WORKER_PID optional, for the worker's RSS).`,
    );
  }
  return {
    databaseUrl: env.DATABASE_URL as string,
    encryptionKey: env.ENCRYPTION_KEY as string,
    apiUrl: env.API_URL as string,
    sandboxUrl: env.SANDBOX_URL as string,
    workerPid: env.WORKER_PID ? Number(env.WORKER_PID) : null,
    teardown: async () => {},
  };
}

/**
 * Everything in temp dirs: Postgres and the Temporal dev server, then the sandbox, the API and the
 * worker as child processes (each with its own event loop and an honest RSS, as in production).
 */
export async function startStack(options: { concurrency: number }): Promise<BenchStack> {
  const cleanups: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  const log = (line: string) => say(line);
  try {
    const dataDir = mkdtempSync(`${tmpdir()}/order-sync-bench-`);
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    // Its own temp dir, as the test setup does: startPostgres hands it to the postgres user when run as root.
    const pgDir = mkdtempSync(`${tmpdir()}/order-sync-bench-pg-`);
    cleanups.push(async () => rmSync(pgDir, { recursive: true, force: true }));
    const sandboxPort = await freePort();

    say('starting Postgres, the Temporal dev server and the ServiceTitan sandbox…');
    const sandboxPromise = startChild({
      name: 'ServiceTitan sandbox',
      script: 'servicetitan/sandbox/main.ts',
      env: {
        ...process.env,
        SANDBOX_PORT: String(sandboxPort),
        DATA_DIR: `${dataDir}/sandbox`,
        LOG_LEVEL: 'error',
      },
      ready: () => httpOk(`http://127.0.0.1:${sandboxPort}/_sandbox/health`),
      timeoutMs: 60_000,
    });
    const [pg, temporal, sandbox] = await Promise.all([
      (async () => startPostgres({ dataDir: pgDir, port: await freePort(), durable: false, log }))(),
      (async () =>
        TestWorkflowEnvironment.createLocal({
          server: {
            executable: await ensureTemporalCli(log),
            namespace: 'default',
            searchAttributes: allSearchAttributes,
            log: { format: 'pretty', level: 'error' },
          },
        }))(),
      sandboxPromise,
    ]);
    cleanups.push(() => pg.stop());
    cleanups.push(() => temporal.teardown());
    cleanups.push(() => sandbox.stop());

    const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${BENCH_DATABASE}`);
    await admin.end();
    const adminUrl = new URL(pg.adminUrl);
    adminUrl.pathname = `/${BENCH_DATABASE}`;
    const databaseUrl = adminUrl.toString();
    await migrate(databaseUrl);

    const encryptionKey = randomBytes(32).toString('base64');
    const apiPort = await freePort();
    const common = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: encryptionKey,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'order-sync',
    };
    say('starting the worker (bundles the workflows) and the API…');
    const started: ChildComponent[] = [];
    const [worker, api] = await Promise.all([
      startChild({
        name: 'worker',
        script: 'worker.ts',
        env: {
          ...common,
          LOG_LEVEL: 'info',
          WORKER_MAX_CONCURRENT_ACTIVITIES: String(options.concurrency),
        },
        ready: (lines) => lines.some((line) => line.includes('worker started')),
        timeoutMs: 180_000,
      }).then((c) => {
        started.push(c);
        return c;
      }),
      startChild({
        name: 'API',
        script: 'api/main.ts',
        env: {
          ...common,
          API_TOKEN: randomBytes(16).toString('hex'),
          PORT: String(apiPort),
          HOST: '127.0.0.1',
          MIGRATE_ON_START: 'false',
          LOG_LEVEL: 'warn',
        },
        ready: () => httpOk(`http://127.0.0.1:${apiPort}/readyz`),
        timeoutMs: 60_000,
      }).then((c) => {
        started.push(c);
        return c;
      }),
    ]).catch(async (error) => {
      for (const child of started) await child.stop();
      throw error;
    });
    // Stopped first: the worker before the API, both before the servers they use.
    cleanups.push(() => api.stop());
    cleanups.push(() => worker.stop());

    return {
      databaseUrl,
      encryptionKey,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
      workerPid: worker.pid,
      teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}
