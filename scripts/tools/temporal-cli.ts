import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server.js';
import { toolsBinDir } from './paths.js';
import { runWithProgress } from './run-with-progress.js';
import { isExecutable, which } from './which.js';

/** Newer CLI tags carry a `replace` directive in go.mod, which `go install pkg@version` refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export class ToolUnavailableError extends Error {}

/**
 * Finds or builds the Temporal CLI (dev server + UI). Order: TEMPORAL_CLI_PATH, the cached build in
 * .tools/bin, `temporal` on PATH, a fresh `go install` into .tools/bin, and finally (only when
 * TEMPORAL_ALLOW_DOWNLOAD=1 or nothing else can work) the SDK's own download, which needs internet.
 */
export async function ensureTemporalCli(log: (line: string) => void): Promise<EphemeralServerExecutable> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured))
      throw new ToolUnavailableError(
        `TEMPORAL_CLI_PATH=${configured} is not an executable file: point it at the Temporal CLI binary, or unset it to use the one built into .tools/ (Go builds it on first use).`,
      );
    return { type: 'existing-path', path: configured };
  }
  const cached = `${toolsBinDir}/temporal`;
  if (isExecutable(cached)) return { type: 'existing-path', path: cached };
  const onPath = which('temporal');
  if (onPath) return { type: 'existing-path', path: onPath };

  const go = which('go');
  if (go) {
    mkdirSync(toolsBinDir, { recursive: true });
    await runWithProgress(go, ['install', '-v', TEMPORAL_CLI_MODULE], {
      label: `Building the Temporal CLI from ${TEMPORAL_CLI_MODULE}`,
      expected: '3–8 minutes on 2 cores',
      env: { ...process.env, GOBIN: toolsBinDir, GOFLAGS: '-mod=mod' },
      log,
      // `go install -v` prints each package as it is compiled.
      countsAsStep: (line) => !line.startsWith('go: '),
    });
    if (isExecutable(cached)) return { type: 'existing-path', path: cached };
    throw new ToolUnavailableError(`go install finished but ${cached} is missing.`);
  }
  log(
    'No Go toolchain and no Temporal CLI found: falling back to the Temporal SDK download (needs internet).',
  );
  return { type: 'cached-download' };
}

export function temporalCliVersion(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
}
