/**
 * The API process (`npm run start:api`): webhooks, configuration and operations API, and the inbox
 * dispatcher. Production runs it next to the worker; several copies can run behind a load balancer.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { z } from 'zod';
import { createDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createSecretBox, parseEncryptionKey } from '../db/secret-box.js';
import { payloadCodecFromEnv } from '../temporal/payload-codec.js';
import { createApiLogger } from './logger.js';
import { startApiServer } from './server.js';

const apiEnvSchema = z.object({
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: 'DATABASE_URL must be the postgres:// URL of the order-sync database',
  }),
  ENCRYPTION_KEY: z
    .string({ error: 'ENCRYPTION_KEY is required: 32 random bytes, base64 (`openssl rand -base64 32`)' })
    .refine(
      (value) => {
        try {
          parseEncryptionKey(value);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'ENCRYPTION_KEY must be 32 random bytes, base64 or hex (`openssl rand -base64 32`)' },
    ),
  API_TOKEN: z
    .string({ error: 'API_TOKEN is required: the bearer token for /api/* (e.g. `openssl rand -hex 32`)' })
    .min(16, { error: 'API_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 32`)' }),
  PORT: z.coerce
    .number({ error: 'PORT must be a port number' })
    .int()
    .min(0)
    .max(65535, { error: 'PORT must be a port number (0–65535)' })
    .default(3000),
  HOST: z.string().default('0.0.0.0'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('order-sync'),
  TEMPORAL_UI_URL: z.url({ error: 'TEMPORAL_UI_URL must be the http(s) URL of the Temporal UI' }).optional(),
  /** Off when migrations run as a separate deployment step. */
  MIGRATE_ON_START: z
    .enum(['true', 'false'], { error: 'MIGRATE_ON_START must be "true" or "false"' })
    .default('true'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  /** The worker's payload key: the API's client must read and write the same encrypted payloads. */
  PAYLOAD_ENCRYPTION_KEY: z.string().optional(),
  PAYLOAD_DECRYPTION_KEYS: z.string().optional(),
});
export type ApiEnv = z.infer<typeof apiEnvSchema>;

export function parseApiEnv(source: NodeJS.ProcessEnv): ApiEnv {
  const parsed = apiEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `- ${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new Error(`The API's configuration is incomplete:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

export async function runApi(source: NodeJS.ProcessEnv = process.env): Promise<void> {
  const env = parseApiEnv(source);
  const logger = createApiLogger({ level: env.LOG_LEVEL });
  if (env.MIGRATE_ON_START === 'true') await migrate(env.DATABASE_URL);

  // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS… (or a config profile) per envconfig.
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  // Lazy: the API starts and stores webhooks even while Temporal is down; the dispatcher catches up.
  const connection = Connection.lazy({
    address: connectionOptions.address,
    tls: connectionOptions.tls,
    apiKey: connectionOptions.apiKey,
    metadata: connectionOptions.metadata,
  });
  const payloadCodec = payloadCodecFromEnv(env);
  const client = new Client({
    connection,
    namespace,
    ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}),
  });
  const database = createDatabase(env.DATABASE_URL);
  const secrets = createSecretBox(parseEncryptionKey(env.ENCRYPTION_KEY));

  const api = await startApiServer({
    db: database.db,
    secrets,
    temporal: { client, namespace, taskQueue: env.TEMPORAL_TASK_QUEUE, uiBaseUrl: env.TEMPORAL_UI_URL },
    apiToken: env.API_TOKEN,
    ...(payloadCodec ? { payloadCodec } : {}),
    logger,
    port: env.PORT,
    host: env.HOST,
  });
  logger.info(
    { url: api.url, docs: `${api.url}/docs`, namespace, taskQueue: env.TEMPORAL_TASK_QUEUE },
    'API listening',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API shutting down');
    try {
      await api.close();
      await database.close();
      await connection.close();
      logger.info('API stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'API shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runApi().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
