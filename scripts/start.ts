/**
 * `npm start`: the whole system in one process tree on embedded defaults (contracts §1). Starts only
 * what is not configured, prints where everything is, and on Ctrl-C/SIGTERM stops it all in order:
 * worker (in-flight activities finish), API, sandbox (saves its state), Postgres, Temporal.
 *
 * The worker and the API run inside this process rather than as children: one log stream, one place
 * that decides the stop order, and half the memory on a two-core machine. They are the production
 * code (worker.ts's options and schema, api/server.ts), so `npm run start:worker` and
 * `npm run start:api` run exactly this, configured, in production.
 */
import { fileURLToPath } from 'node:url';
import { parseSupervisorEnv } from './supervisor/config.js';
import { createSupervisorLogger, installTemporalRuntime } from './supervisor/logging.js';
import { readyRecord, readyText } from './supervisor/ready-banner.js';
import { startupFailureMessage } from './supervisor/startup-error.js';
import { StartAborted, startSystem } from './supervisor/system.js';

/** Runs npm start until a signal or a failure; resolves with the exit code. */
export async function main(source: NodeJS.ProcessEnv = process.env): Promise<number> {
  let env: ReturnType<typeof parseSupervisorEnv>;
  try {
    env = parseSupervisorEnv(source);
  } catch (error) {
    process.stderr.write(`${startupFailureMessage(error)}\n`);
    return 1;
  }
  const pretty = Boolean(process.stdout.isTTY);
  const logger = createSupervisorLogger(env.LOG_LEVEL, pretty);
  const log = logger.child({ name: 'supervisor' });
  installTemporalRuntime(logger, env.LOG_LEVEL);

  // Signals are handled from the first moment, so a Ctrl-C during a first-run build stops cleanly too.
  const abort = new AbortController();
  let signalled: (signal: string) => void = () => {};
  const stopRequested = new Promise<string>((resolve) => {
    signalled = resolve;
  });
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      log.info({ signal }, 'stopping (Ctrl-C again to force)');
      abort.abort();
      signalled(signal);
    } else if (Date.now() - firstSignalAt > 1500) {
      // A second signal within moments is the same Ctrl-C relayed by npm or tsx, not a second press.
      log.warn(
        'forced to stop: Postgres or the Temporal dev server may still run; the next npm start stops them',
      );
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let system: Awaited<ReturnType<typeof startSystem>>;
  try {
    system = await startSystem(env, logger, { source, signal: abort.signal });
  } catch (error) {
    // A Ctrl-C during start-up also interrupts what was running (a first-run build): not a failure.
    if (error instanceof StartAborted || abort.signal.aborted) {
      log.info('stopped');
      return 0;
    }
    log.debug({ err: error }, 'start-up failed');
    process.stderr.write(`\n${startupFailureMessage(error)}\n`);
    return 1;
  }

  process.stdout.write(pretty ? `${readyText(system.details)}\n` : `${readyRecord(system.details)}\n`);
  const outcome = await Promise.race([
    stopRequested.then(() => ({ failure: undefined })),
    system.failed.then((failure) => ({ failure })),
  ]);
  if (outcome.failure) log.error(`stopping everything: ${outcome.failure}`);
  await system.stop();
  log.info('stopped');
  return outcome.failure ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await main();
  // Libraries (the Temporal runtime, keep-alive agents) may hold the event loop; everything is closed.
  process.exit(code);
}
