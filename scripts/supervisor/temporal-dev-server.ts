import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import type { SearchAttributeType } from '@temporalio/common';
import type { Logger } from 'pino';
import type { allSearchAttributes } from '../../workflows/search-attributes.js';
import { StartupError } from './startup-error.js';

export interface DevServerOptions {
  executable: string;
  dbFilename: string;
  /** Pid of the running server, so a server orphaned by a killed supervisor is stopped next time. */
  pidFile: string;
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  searchAttributes: typeof allSearchAttributes;
  logger: Logger;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  /** Resolves when the server exits, for whatever reason (the supervisor treats an early exit as fatal). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** The CLI's names of the SDK's search attribute types. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/**
 * The Temporal CLI's dev server (server + UI) persisting to SQLite under DATA_DIR. It runs in its
 * own process group so a Ctrl-C in the terminal reaches only the supervisor, which stops it last,
 * after the worker has finished with it.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const log = options.logger;
  await stopLeftoverDevServer(options.pidFile, options.dbFilename, log);

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFilename,
    '--ip',
    options.host,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...(options.namespace === 'default' ? [] : ['--namespace', options.namespace]),
    ...options.searchAttributes.flatMap(({ name, type }) => [
      '--search-attribute',
      `${name}=${CLI_TYPE[type]}`,
    ]),
  ];
  log.debug({ args }, 'starting the Temporal dev server');
  const child = spawn(options.executable, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let up = false;
  let stopping = false;
  let lastError = '';
  const forward = (line: string) => {
    if (!line.trim()) return;
    let entry: { level?: string; msg?: string } & Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch {
      log.debug(line);
      return;
    }
    const { level = 'INFO', msg = '', time: _time, ...fields } = entry;
    if (level === 'ERROR') lastError = String(msg) + (fields.error ? `: ${String(fields.error)}` : '');
    // Before it is up, its errors end in the one start-up failure message; while stopping, it reports
    // every cancelled internal call as an error: noise both times.
    if (!up || stopping) return log.debug(fields, msg);
    if (level === 'ERROR') log.error(fields, msg);
    else if (level === 'WARN') log.warn(fields, msg);
    else log.debug(fields, msg);
  };
  createInterface({ input: child.stdout }).on('line', forward);
  createInterface({ input: child.stderr }).on('line', forward);

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      lastError = error.message;
      resolve(-1);
    });
  });
  if (child.pid) writeFileSync(options.pidFile, String(child.pid));

  const address = `${options.host}:${options.port}`;
  const ready = await Promise.race([
    waitForPort(options.host === '0.0.0.0' ? '127.0.0.1' : options.host, options.port, READY_TIMEOUT_MS),
    exited.then(() => false),
  ]);
  if (!ready) {
    await stopChild(child, exited);
    rmSync(options.pidFile, { force: true });
    throw new StartupError(devServerFailure(lastError, options));
  }

  up = true;
  const uiHost = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(options.host)
    ? 'localhost'
    : options.host;
  return {
    address: options.host === '0.0.0.0' ? `127.0.0.1:${options.port}` : address,
    uiUrl: `http://${uiHost}:${options.uiPort}`,
    exited,
    async stop() {
      stopping = true;
      await stopChild(child, exited);
      rmSync(options.pidFile, { force: true });
    },
  };
}

function devServerFailure(lastError: string, options: DevServerOptions): string {
  if (/not a database|malformed|corrupt/i.test(lastError)) {
    return `The Temporal dev server cannot read ${options.dbFilename}: the file is damaged (${lastError}). Move it away (mv ${options.dbFilename} ${options.dbFilename}.broken) and start again; workflows recorded in it are lost, orders stay in the database and can be retried.`;
  }
  if (/database is locked|SQLITE_BUSY/i.test(lastError)) {
    return `Another Temporal dev server is using ${options.dbFilename}. Stop it (is another npm start running with the same DATA_DIR?) and start again.`;
  }
  if (/address already in use/i.test(lastError)) {
    return `The Temporal dev server could not listen on port ${options.port} or ${options.uiPort} (${lastError}): free them or choose others with TEMPORAL_PORT / TEMPORAL_UI_PORT.`;
  }
  return `The Temporal dev server did not start${lastError ? `: ${lastError}` : ` within ${READY_TIMEOUT_MS / 1000} s`}. Set TEMPORAL_ADDRESS to use another Temporal server instead.`;
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  // Its whole process group: the CLI runs the server and the UI.
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A dev server whose supervisor was killed keeps the port and the SQLite lock; stop it first. */
export async function stopLeftoverDevServer(pidFile: string, dbFilename: string, log: Logger): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return;
  }
  // Only ever a dev server of this DATA_DIR: the pid may have been reused by something else.
  if (!commandLine.includes('start-dev') || !commandLine.includes(dbFilename)) return;
  log.warn({ devServerPid: pid }, 'stopping a Temporal dev server left running by an earlier npm start');
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Without Go or a Temporal CLI, the SDK downloads the CLI (needs internet) and runs it itself. The
 * SDK owns that process, so it is not in a process group of its own: a Ctrl-C reaches it at once.
 */
export async function startDownloadedDevServer(
  options: Omit<DevServerOptions, 'executable' | 'pidFile'>,
): Promise<RunningDevServer> {
  // A dev dependency, loaded only on this path: production images never start a dev server.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  let env: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        dbFilename: options.dbFilename,
        ip: options.host,
        port: options.port,
        ui: true,
        uiPort: options.uiPort,
        namespace: options.namespace,
        searchAttributes: options.searchAttributes,
        log: { format: 'json', level: 'warn' },
      },
    });
  } catch (error) {
    throw new StartupError(
      `The Temporal CLI is not available and could not be downloaded (${error instanceof Error ? error.message : String(error)}). Install Go (npm start then builds the CLI once), put the \`temporal\` CLI on PATH or set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to a running Temporal server.`,
    );
  }
  let resolveExit: (code: number | null) => void = () => {};
  const exited = new Promise<number | null>((resolve) => {
    resolveExit = resolve;
  });
  return {
    address: env.address,
    uiUrl: `http://localhost:${options.uiPort}`,
    exited,
    async stop() {
      await env.teardown();
      resolveExit(0);
    },
  };
}
