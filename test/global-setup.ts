import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server.js';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrate } from '../db/migrate.js';
import { freePort } from '../scripts/tools/free-port.js';
import { startPostgres } from '../scripts/tools/postgres.js';
import { ensureTemporalCli } from '../scripts/tools/temporal-cli.js';
import { ensureTimeSkippingServer } from '../scripts/tools/test-server.js';
import { allSearchAttributes } from '../workflows/search-attributes.js';
import { TEMPLATE_DATABASE } from './helpers/names.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres URL with the right to create databases (per-test databases are cloned from the template). */
    databaseAdminUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
    timeSkippingServer: EphemeralServerExecutable;
  }
}

const log = (line: string) => console.log(`[test servers] ${line}`);

/**
 * One Postgres and one Temporal dev server for the whole run (the machine has two cores); each test
 * file isolates itself with its own database and task queue. DATABASE_URL / TEMPORAL_ADDRESS make
 * it use existing servers instead.
 */
export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void>> = [];

  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(`${tmpdir()}/order-sync-pg-`);
    const pg = await startPostgres({ dataDir, port: await freePort(), durable: false, log });
    cleanups.push(async () => {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    adminUrl = pg.adminUrl;
  }
  await createTemplateDatabase(adminUrl);

  const timeSkippingServer = await ensureTimeSkippingServer(log);
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  const temporalNamespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (!temporalAddress) {
    const executable = await ensureTemporalCli(log);
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        namespace: temporalNamespace,
        searchAttributes: allSearchAttributes,
        log: { format: 'pretty', level: 'error' },
        // Tests list workflows by search attribute right after upserting it.
        extraArgs: ['--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true'],
      },
    });
    cleanups.push(() => env.teardown());
    temporalAddress = env.address;
  }

  project.provide('databaseAdminUrl', adminUrl);
  project.provide('temporalAddress', temporalAddress);
  project.provide('temporalNamespace', temporalNamespace);
  project.provide('timeSkippingServer', timeSkippingServer);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

async function createTemplateDatabase(adminUrl: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await sql.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await sql.end();
  }
  await migrate(withDatabase(adminUrl, TEMPLATE_DATABASE));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
