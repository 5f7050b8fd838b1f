import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { ToolUnavailableError } from './temporal-cli.js';
import { isExecutable, which } from './which.js';

export interface PostgresServer {
  /** postgres://… URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  dataDir: string;
  port: number;
  /** Throwaway clusters skip fsync: tests go faster and lose nothing they need. */
  durable: boolean;
  log: (line: string) => void;
}

/** The PostgreSQL server binaries: PG_BIN_DIR, `pg_config --bindir`, or the newest /usr/lib/postgresql/N/bin. */
export function findPostgresBinaries(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  const pgConfig = which('pg_config');
  if (pgConfig) candidates.push(execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8' }).trim());
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(`/usr/lib/postgresql/${version}/bin`);
  }
  const found = candidates.find((dir) => isExecutable(`${dir}/initdb`) && isExecutable(`${dir}/pg_ctl`));
  if (!found) {
    throw new ToolUnavailableError(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them (Debian: `apt-get install postgresql`), set PG_BIN_DIR, or set DATABASE_URL to an existing database.',
    );
  }
  return found;
}

/**
 * Postgres refuses to run as root, and CI runs as root: there, every server command runs as the
 * unprivileged `postgres` system user (created by Debian's postgresql package) through runuser.
 */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', serverUser(), '--', command, ...args]];
}

function serverUser(): string {
  const user = process.env.PG_SERVER_USER ?? 'postgres';
  try {
    execFileSync('id', ['-u', user], { stdio: 'ignore' });
  } catch {
    throw new ToolUnavailableError(
      `Running as root, Postgres needs an unprivileged user to run as, and "${user}" does not exist. Create one (useradd --system ${user}) or set PG_SERVER_USER.`,
    );
  }
  return user;
}

function run(command: string, args: string[]): string {
  const [cmd, fullArgs] = asServerUser(command, args);
  return execFileSync(cmd, fullArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates the cluster on first use and starts it; `stop()` shuts it down cleanly. */
export async function startPostgres(options: StartPostgresOptions): Promise<PostgresServer> {
  const bin = findPostgresBinaries();
  const { dataDir, port } = options;
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', serverUser()], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', serverUser()], { encoding: 'utf8' }).trim());
      chownSync(dataDir, uid, gid);
    }
    options.log(`Creating a Postgres cluster in ${dataDir}`);
    run(`${bin}/initdb`, [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-instructions',
    ]);
  }
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dataDir}`,
    '-c max_connections=200',
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  try {
    run(`${bin}/pg_ctl`, [
      '-D',
      dataDir,
      '-l',
      `${dataDir}/server.log`,
      '-o',
      serverOptions,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(
      `Postgres did not start on port ${port} (data in ${dataDir}). See ${dataDir}/server.log. If the data directory is corrupt, move it away and start again.\n${detail}`,
    );
  }
  let stopped = false;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      run(`${bin}/pg_ctl`, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
  };
}

/**
 * Stops a server still running on `dataDir` (left by a process that was killed before it could stop
 * it), so the next start does not fail on the lock file. Returns whether there was one.
 */
export function stopLeftoverPostgres(dataDir: string): boolean {
  if (!existsSync(`${dataDir}/postmaster.pid`)) return false;
  const bin = findPostgresBinaries();
  const [cmd, args] = asServerUser(`${bin}/pg_ctl`, ['-D', dataDir, 'status']);
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    return false; // not running: a stale lock file, which Postgres itself clears on start
  }
  run(`${bin}/pg_ctl`, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  return true;
}

/** Whether the user Postgres runs as can enter `dir` (as root it is not root, so e.g. /root is closed to it). */
export function serverUserCanEnter(dir: string): boolean {
  if (process.getuid?.() !== 0) return true;
  try {
    execFileSync('runuser', ['-u', serverUser(), '--', 'test', '-x', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
