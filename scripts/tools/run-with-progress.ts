import { spawn } from 'node:child_process';

export interface ProgressOptions {
  /** What is being done, shown at the start and in every progress line. */
  label: string;
  /** How long it usually takes, so the person waiting knows what to expect. */
  expected: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  log: (line: string) => void;
  /** Counts output lines that mean "one more step done" (for example, one compiled Go package). */
  countsAsStep?: (line: string) => boolean;
}

/**
 * Runs a long build command, printing a progress line every 15 seconds (elapsed time and steps
 * done) so a first run never looks hung. Resolves with the command's combined output tail.
 */
export function runWithProgress(command: string, args: string[], options: ProgressOptions): Promise<void> {
  const started = Date.now();
  options.log(`${options.label} (usually ${options.expected}; runs once per machine)…`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let steps = 0;
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        if (options.countsAsStep?.(line)) steps += 1;
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      options.log(
        `  … ${options.label}: ${seconds}s elapsed${options.countsAsStep ? `, ${steps} steps done` : ''}`,
      );
    }, 15_000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code === 0) {
        options.log(`${options.label}: done in ${seconds}s`);
        resolve();
      } else {
        reject(new Error(`${options.label} failed (exit ${code}) after ${seconds}s:\n${tail.join('\n')}`));
      }
    });
  });
}
