import { resolve } from 'node:path';
import { z } from 'zod';
import { StartupError } from './startup-error.js';

// An empty variable (`PORT=`) means "not set", as people expect from shells and .env files.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const port = (variable: string, fallback: number, allowZero: string | null) =>
  z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: `${variable} must be a port number` })
      .int({ error: `${variable} must be a whole port number` })
      .min(allowZero === null ? 1 : 0, {
        error: `${variable} must be between ${allowZero === null ? 1 : 0} and 65535${allowZero ? ` (${allowZero})` : ''}`,
      })
      .max(65535, { error: `${variable} must be between 0 and 65535` })
      .default(fallback),
  );

const optionalText = (schema: z.ZodType<string>) => z.preprocess(unsetIfEmpty, schema.optional());

/**
 * What `npm start` reads (contracts §1). Everything is optional: each unset part is started embedded.
 * The worker's and the API's own variables (WORKER_*, LOG_LEVEL, MIGRATE_ON_START…) are validated
 * by their own schemas once the embedded values are filled in, exactly as in production.
 */
const supervisorEnvSchema = z.object({
  PORT: port('PORT', 3000, 'use 0 for any free port'),
  SANDBOX_PORT: port('SANDBOX_PORT', 3001, '0 does not start the sandbox'),
  TEMPORAL_ADDRESS: optionalText(
    z.string().regex(/^[^\s:/]+:\d+$/, {
      error:
        'TEMPORAL_ADDRESS must be host:port of a Temporal frontend (e.g. localhost:7233); unset it to start the dev server',
    }),
  ),
  TEMPORAL_PORT: port('TEMPORAL_PORT', 7233, null),
  TEMPORAL_UI_PORT: port('TEMPORAL_UI_PORT', 8233, null),
  TEMPORAL_NAMESPACE: z.preprocess(unsetIfEmpty, z.string().min(1).default('default')),
  TEMPORAL_TASK_QUEUE: z.preprocess(unsetIfEmpty, z.string().min(1).default('order-sync')),
  TEMPORAL_UI_URL: optionalText(
    z.url({
      error: 'TEMPORAL_UI_URL must be the http(s) URL of the Temporal UI (e.g. http://localhost:8233)',
    }),
  ),
  DATABASE_URL: optionalText(
    z.url({
      protocol: /^postgres(ql)?$/,
      error: 'DATABASE_URL must be a postgres:// URL; unset it to use the embedded Postgres',
    }),
  ),
  DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('.data')),
  API_TOKEN: optionalText(
    z
      .string()
      .min(16, { error: 'API_TOKEN must be at least 16 characters (or unset it to have one generated)' }),
  ),
  ENCRYPTION_KEY: optionalText(z.string()),
  /** Interface the API, the sandbox and the dev server listen on; loopback keeps the demo private. */
  HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default('127.0.0.1')),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z
      .enum(['trace', 'debug', 'info', 'warn', 'error'], {
        error: 'LOG_LEVEL must be one of trace, debug, info, warn, error',
      })
      .default('info'),
  ),
});

export type SupervisorEnv = z.infer<typeof supervisorEnvSchema> & {
  /** DATA_DIR made absolute (relative to the working directory, which `npm start` sets to the repository). */
  dataDir: string;
};

/** The supervisor's configuration, or one StartupError listing every problem and what to set instead. */
export function parseSupervisorEnv(source: NodeJS.ProcessEnv): SupervisorEnv {
  const parsed = supervisorEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new StartupError(`npm start cannot use this configuration:\n${problems.join('\n')}`);
  }
  const env = parsed.data;
  const ports: Array<[string, number]> = [
    ['PORT', env.PORT],
    ['SANDBOX_PORT', env.SANDBOX_PORT],
    ...(env.TEMPORAL_ADDRESS
      ? []
      : ([
          ['TEMPORAL_PORT', env.TEMPORAL_PORT],
          ['TEMPORAL_UI_PORT', env.TEMPORAL_UI_PORT],
        ] as Array<[string, number]>)),
  ];
  const used = new Map<number, string>();
  for (const [name, port] of ports) {
    const other = used.get(port);
    if (port !== 0 && other) {
      throw new StartupError(
        `${name} and ${other} are both ${port}: give each of PORT, SANDBOX_PORT, TEMPORAL_PORT and TEMPORAL_UI_PORT its own port.`,
      );
    }
    used.set(port, name);
  }
  return { ...env, dataDir: resolve(env.DATA_DIR) };
}
