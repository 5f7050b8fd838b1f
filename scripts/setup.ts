/**
 * `npm run setup`: prepares configured services for a deployment, idempotently — database
 * migrations, the Temporal namespace (created on a self-hosted cluster that lacks it) and the
 * search attributes. Run it once per deploy, before the API and the workers (docker-compose.yml
 * runs it as a one-shot service); npm start does the same steps itself.
 */
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { pino } from 'pino';
import { z } from 'zod';
import { migrate } from '../db/migrate.js';
import { StartupError, startupFailureMessage } from './supervisor/startup-error.js';
import { ensureNamespace, ensureSearchAttributes } from './supervisor/temporal-setup.js';

const setupEnvSchema = z.object({
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: 'DATABASE_URL must be the postgres:// URL of the order-sync database',
  }),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error'], {
      error: 'LOG_LEVEL must be trace, debug, info, warn or error',
    })
    .default('info'),
});
export type SetupEnv = z.infer<typeof setupEnvSchema>;

export function parseSetupEnv(source: NodeJS.ProcessEnv): SetupEnv {
  const parsed = setupEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `- ${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new StartupError(`The setup's configuration is incomplete:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

export async function runSetup(source: NodeJS.ProcessEnv = process.env): Promise<void> {
  const env = parseSetupEnv(source);
  const logger = pino({ level: env.LOG_LEVEL, name: 'setup' });
  await migrate(env.DATABASE_URL);
  logger.info('database migrated');
  // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS or TEMPORAL_API_KEY… per @temporalio/envconfig.
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const connection = await Connection.connect({
    address: connectionOptions.address,
    tls: connectionOptions.tls,
    apiKey: connectionOptions.apiKey,
    metadata: connectionOptions.metadata,
  });
  try {
    await ensureNamespace(connection, namespace, logger);
    await ensureSearchAttributes(connection, namespace, logger);
  } finally {
    await connection.close();
  }
  logger.info({ namespace }, 'Temporal namespace and search attributes ready');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await runSetup();
    process.exit(0);
  } catch (error) {
    console.error(startupFailureMessage(error).replace(/^npm start failed/, 'setup failed'));
    process.exit(1);
  }
}
