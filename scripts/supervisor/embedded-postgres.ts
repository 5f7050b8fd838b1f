import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import postgres from 'postgres';
import { freePort } from '../tools/free-port.js';
import { serverUserCanEnter, startPostgres, stopLeftoverPostgres } from '../tools/postgres.js';
import { ToolUnavailableError } from '../tools/temporal-cli.js';
import { StartupError } from './startup-error.js';

export const EMBEDDED_DATABASE = 'order_sync';

export interface EmbeddedPostgres {
  /** postgres:// URL of the order-sync database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Real Postgres (not an emulation) with its cluster under DATA_DIR/postgres, durable, on a free
 * port each start. Creates the `order_sync` database on first use.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  /** Ports the other parts are about to take: the free port for Postgres must not be one of them. */
  reservedPorts: readonly number[] = [],
): Promise<EmbeddedPostgres> {
  const parent = dirname(dataDir);
  if (!serverUserCanEnter(parent)) {
    throw new StartupError(
      `Running as root, Postgres runs as the "${process.env.PG_SERVER_USER ?? 'postgres'}" user, which cannot enter ${parent}. Set DATA_DIR to a directory every user can reach (e.g. DATA_DIR=/var/tmp/order-sync), run npm start as a normal user, or set DATABASE_URL.`,
    );
  }
  stopLeftovers(dataDir, logger);

  let port = await freePort();
  while (reservedPorts.includes(port)) port = await freePort();
  let server: Awaited<ReturnType<typeof startPostgres>>;
  try {
    server = await startPostgres({ dataDir, port, durable: true, log: (line) => logger.info(line) });
  } catch (error) {
    if (error instanceof ToolUnavailableError) throw error;
    throw new StartupError(postgresFailure(dataDir, error));
  }
  try {
    await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = new URL(server.adminUrl);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), stop: () => server.stop() };
}

/** A Postgres whose supervisor was killed still holds the cluster's lock: stop it before a new start. */
export function stopLeftovers(dataDir: string, logger: Logger): void {
  if (stopLeftoverPostgres(dataDir)) logger.warn('stopped a Postgres left running by an earlier npm start');
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!existing) await sql.unsafe(`create database ${name}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** One message: the lines of Postgres's own log that say why, and what to do about it. */
function postgresFailure(dataDir: string, error: unknown): string {
  const logFile = `${dataDir}/server.log`;
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n') : [];
  const fatal = lines.findLastIndex((line) => /\b(FATAL|PANIC):/.test(line));
  // The FATAL line and the DETAIL that follows it, without timestamps.
  const reasons =
    fatal < 0
      ? []
      : lines
          .slice(fatal, fatal + 2)
          .filter((line, index) => index === 0 || /\bDETAIL:/.test(line))
          .map((line) => line.replace(/^.*?\b(FATAL|PANIC|DETAIL):\s*/, ''));
  const raw = error instanceof Error ? error.message : String(error);
  const found = reasons.join(': ') || raw.split('\n').find((line) => /error|fatal|exists/i.test(line)) || raw;
  const reason = /[.!]$/.test(found) ? found : `${found}.`;
  const moveAway = `move it away (mv ${dataDir} ${dataDir}.broken) and start again: npm start creates a new database and seeds the demo tenant again (orders in the old one are not carried over)`;
  if (/incompatible with server/.test(reason) && !/PG_CONTROL_VERSION -?\d{5,}/.test(reason)) {
    return `Postgres cannot use the cluster in ${dataDir}: ${reason} If another PostgreSQL version made it, point PG_BIN_DIR at that version's binaries; otherwise ${moveAway}.`;
  }
  return `Postgres could not start from ${dataDir}: ${reason} If that directory is damaged, ${moveAway}. Postgres's log: ${logFile}.`;
}
