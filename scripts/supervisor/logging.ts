import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { createApiLogger } from '../../api/logger.js';

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * One logger for every part npm start runs in-process, with the API's redaction of secrets: a
 * readable single stream in a terminal, JSON lines (one object per line) when piped or collected.
 */
export function createSupervisorLogger(level: LevelName, pretty: boolean): Logger {
  // No base name: each part's child logger names itself (worker, api, temporal…), once per line.
  if (!pretty) return createApiLogger({ level, name: undefined });
  const stream = PinoPretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
    sync: true,
  });
  return createApiLogger({ level, name: undefined, stream });
}

const TEMPORAL_LEVEL: Record<LevelName, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'WARN', // the SDK's INFO lines (every activity, every bundle step) drown the demo's own
  warn: 'WARN',
  error: 'ERROR',
};

/**
 * Routes the Temporal SDK's own logs (worker, workflow and activity loggers, Rust core) into the
 * supervisor's stream, and keeps the SDK from installing its own SIGINT/SIGTERM handlers: the
 * supervisor stops the worker itself, in order. The runtime is per process and installs once.
 */
export function installTemporalRuntime(logger: Logger, level: LevelName): void {
  const sdk = logger.child({ name: 'temporal-sdk' });
  const methods = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
  try {
    Runtime.install({
      logger: new DefaultLogger(TEMPORAL_LEVEL[level], (entry) => {
        sdk[methods[entry.level]](entry.meta ?? {}, entry.message);
      }),
      shutdownSignals: [],
    });
  } catch (error) {
    // Installed already (a test process that also runs workers): keep that runtime.
    if (!(error instanceof Error && /already/i.test(error.message))) throw error;
  }
}
