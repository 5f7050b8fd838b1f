import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDatabase } from '../../db/client.js';
import { TEMPLATE_DATABASE } from './names.js';

function urlFor(database: string): string {
  const parsed = new URL(inject('databaseAdminUrl'));
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A migrated database of the test's own, cloned from the run's template (milliseconds), dropped by
 * `drop()`. Tests never see each other's rows.
 */
export async function freshDatabase() {
  const name = `order_sync_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(inject('databaseAdminUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  const url = urlFor(name);
  const handle = createDatabase(url, { max: 5 });
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
