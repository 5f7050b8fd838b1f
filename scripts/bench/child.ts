import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot } from '../tools/paths.js';
import { sleep } from './stats.js';

/** A component run as its own Node process (`node --import tsx file`): its own RSS, its own event loop. */
export interface ChildComponent {
  name: string;
  pid: number;
  /** The last lines it printed, for the error message when it dies. */
  tail(): string;
  stop(): Promise<void>;
}

export async function startChild(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Resolves once the component is ready (a printed line or an HTTP probe). */
  ready: (lines: string[]) => boolean | Promise<boolean>;
  timeoutMs: number;
}): Promise<ChildComponent> {
  const lines: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: repoRoot,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code ?? -1;
      resolve();
    }),
  );
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const tail = () => lines.slice(-20).join('\n');
  const stop = async () => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (exited !== null)
      throw new Error(`${options.name} exited (code ${exited}) before it was ready:\n${tail()}`);
    if (
      await Promise.resolve()
        .then(() => options.ready(lines))
        .catch(() => false)
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready within ${options.timeoutMs / 1000} s:\n${tail()}`);
    }
    await sleep(100);
  }
  if (child.pid === undefined) throw new Error(`${options.name} has no pid`);
  return { name: options.name, pid: child.pid, tail, stop };
}

/** Resident set size of a process in MB (Linux /proc), or null where unavailable. */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` and keeps the peak. */
export function rssSampler(pid: number | null, everyMs = 250) {
  let peak: number | null = null;
  const sample = () => {
    if (pid === null) return;
    const value = rssMb(pid);
    if (value !== null && (peak === null || value > peak)) peak = value;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peak: () => peak,
    stop: () => {
      sample();
      clearInterval(timer);
    },
  };
}
