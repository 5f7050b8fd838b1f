import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { portInUse } from '../../scripts/tools/free-port.js';
import { repoRoot } from '../../scripts/tools/paths.js';

/** The JSON line npm start prints when ready (stdout is not a terminal here): scripts/supervisor/ready-banner.ts. */
export interface ReadyRecord {
  msg: 'ready';
  startedInMs: number;
  apiUrl: string;
  docsUrl: string;
  temporalUiUrl: string | null;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  sandboxUrl: string | null;
  demoTenantId: string | null;
  apiBearerToken: string;
  demoSigningSecret: string | null;
  dataDir: string;
  sendOrder: string | null;
}

export interface SupervisorProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the ready record, rejects if the process exits first. */
  ready: Promise<ReadyRecord>;
  exited: Promise<number | null>;
  /** Sends the signal (Ctrl-C is SIGINT) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `npm start`'s code path as its own process (node --import tsx scripts/start.ts), with `env` added. */
export function startSupervisor(env: Record<string, string>): SupervisorProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: repoRoot,
    env: { ...withoutStartVariables(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<ReadyRecord>((resolve, reject) => {
    createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', (line) => {
      stdout.push(line);
      if (!line.includes('"msg":"ready"')) return;
      const record = JSON.parse(line) as ReadyRecord;
      if (record.msg === 'ready') resolve(record);
    });
    void exited.then((code) =>
      reject(
        new Error(
          `npm start exited (${code}) before ready:\n${stderr.join('\n')}\n${stdout.slice(-20).join('\n')}`,
        ),
      ),
    );
  });
  ready.catch(() => {}); // awaited by the test; an early exit must not be an unhandled rejection
  createInterface({ input: child.stderr as NonNullable<typeof child.stderr> }).on('line', (line) =>
    stderr.push(line),
  );
  return {
    child,
    stdout,
    stderr,
    ready,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The test run's own variables (DATABASE_URL, TEMPORAL_ADDRESS…) must not leak into the supervisor. */
function withoutStartVariables(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...source };
  for (const name of [
    'PORT',
    'SANDBOX_PORT',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_PORT',
    'TEMPORAL_UI_PORT',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_TASK_QUEUE',
    'TEMPORAL_UI_URL',
    'DATABASE_URL',
    'DATA_DIR',
    'API_TOKEN',
    'ENCRYPTION_KEY',
    'HOST',
    'LOG_LEVEL',
  ]) {
    delete env[name];
  }
  return env;
}

/** Each log line npm start printed, parsed (JSON when not a terminal). */
export function logRecords(lines: string[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * A free port below Linux's ephemeral range (32768+), so no port the OS hands out meanwhile (the
 * embedded Postgres's, the dev server's metrics port, a client socket) can land on it before npm
 * start binds it.
 */
export async function freeFixedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!(await portInUse(port))) return port;
  }
}
