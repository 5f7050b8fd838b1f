import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.js';

/** Where each embedded part keeps its state under DATA_DIR. */
export function dataDirLayout(dataDir: string) {
  return {
    root: dataDir,
    postgres: join(dataDir, 'postgres'),
    temporalDb: join(dataDir, 'temporal.sqlite'),
    temporalPid: join(dataDir, 'temporal-dev-server.pid'),
    /** The same file `npm run sandbox` uses, so both see one sandbox state. */
    sandboxState: join(dataDir, 'sandbox-state.json'),
    apiToken: join(dataDir, 'api-token'),
    encryptionKey: join(dataDir, 'encryption-key'),
    demoWebhookSecret: join(dataDir, 'demo-webhook-secret'),
    /** URLs of the running system, for `npm run send-order`; removed on a clean stop. */
    runtime: join(dataDir, 'runtime.json'),
    /** Pid of the npm start using this DATA_DIR: two at once would stop each other's servers. */
    supervisorPid: join(dataDir, 'npm-start.pid'),
  };
}
export type DataDirLayout = ReturnType<typeof dataDirLayout>;

export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    if (!statSync(dataDir).isDirectory()) throw new Error('not a directory');
    // As root, Postgres runs as the `postgres` user, which must be able to enter DATA_DIR.
    if (process.getuid?.() === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  } catch (error) {
    throw new StartupError(
      `DATA_DIR ${dataDir} cannot be used (${error instanceof Error ? error.message : String(error)}): point DATA_DIR at a writable directory.`,
    );
  }
}

/**
 * A secret kept in a file under DATA_DIR (mode 600), generated on first use, so restarts keep the
 * same API token, encryption key and webhook secret. `validate` rejects a damaged file.
 */
export function keptSecret(
  path: string,
  generate: () => string,
  validate: (value: string) => boolean,
): string {
  if (existsSync(path)) {
    const value = readFileSync(path, 'utf8').trim();
    if (!validate(value)) {
      throw new StartupError(
        `${path} is damaged (not a valid value). Delete it to have a new one generated${path.endsWith('encryption-key') ? ' — the secrets stored with the old key then cannot be read, so also move DATA_DIR/postgres away' : ''}.`,
      );
    }
    return value;
  }
  const value = generate();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

export const generateApiToken = () => randomBytes(32).toString('hex');
export const generateEncryptionKey = () => randomBytes(32).toString('base64');

/** Writes a value that already exists elsewhere (the demo tenant's webhook secret) for other commands. */
export function writeSecretFile(path: string, value: string): void {
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
}

export function readSecretFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || undefined : undefined;
}

/**
 * Makes this process the only npm start using DATA_DIR (another one would find its Postgres and dev
 * server "left over" and stop them). Returns the release, called on a clean stop.
 */
export function claimDataDir(layout: DataDirLayout): () => void {
  const other = Number(readSecretFile(layout.supervisorPid));
  if (Number.isInteger(other) && other > 0 && other !== process.pid && isRunning(other)) {
    throw new StartupError(
      `Another npm start (pid ${other}) is using DATA_DIR ${layout.root}. Stop it first (Ctrl-C in its terminal, or kill ${other}), or give this one another DATA_DIR.`,
    );
  }
  writeFileSync(layout.supervisorPid, String(process.pid));
  return () => rmSync(layout.supervisorPid, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A pid reused by an unrelated program after a crash does not count.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true;
  }
}
