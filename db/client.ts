import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

export type Database = ReturnType<typeof createDatabase>['db'];

export interface DatabaseOptions {
  /** Pool size; small by default because the machine has two cores and Postgres is shared. */
  max?: number;
}

/** One pool per process; `close()` ends it (tests and graceful shutdown). */
export function createDatabase(url: string, options: DatabaseOptions = {}) {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
