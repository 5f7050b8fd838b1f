/**
 * The worker process: runs OrderSyncWorkflow (and later SubscriptionWorkflow) and their activities
 * on the `order-sync` task queue. Production runs it with `npm run start:worker` (several copies
 * scale out horizontally: they share the task queue); `npm start` runs it inside the supervisor.
 */
import { fileURLToPath } from 'node:url';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { pino } from 'pino';
import { z } from 'zod';
import { createOrderSyncActivities } from './activities/index.js';
import { createDatabase } from './db/client.js';
import { createSecretBox, parseEncryptionKey } from './db/secret-box.js';
import { dataConverterFromEnv, type PayloadEncryptionEnv } from './temporal/payload-codec.js';

const workerEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .url({ message: 'DATABASE_URL must be a postgres:// URL of the order-sync database' }),
  ENCRYPTION_KEY: z.string({
    message: 'ENCRYPTION_KEY is required to read ServiceTitan credentials (32 bytes, base64)',
  }),
  TEMPORAL_TASK_QUEUE: z.string().default('order-sync'),
  /** ServiceTitan calls are I/O bound and limited by ST's 60 req/s, not by CPU: many slots are fine. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
  /** Sized for a 2-core, small-heap machine; raise it with memory. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(500),
  /** A prebuilt bundle (production); without it the worker bundles workflows at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  /** Encrypts workflow payloads (PII) when set; the API must have the same key. See temporal/payload-codec.ts. */
  PAYLOAD_ENCRYPTION_KEY: z.string().optional(),
  PAYLOAD_DECRYPTION_KEYS: z.string().optional(),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** Worker options shared by production and tests, so tests run what production runs. */
export function orderSyncWorkerOptions(
  env: Pick<
    WorkerEnv,
    | 'WORKER_MAX_CONCURRENT_ACTIVITIES'
    | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'
    | 'WORKER_MAX_CACHED_WORKFLOWS'
  > &
    PayloadEncryptionEnv,
): Partial<WorkerOptions> {
  const dataConverter = dataConverterFromEnv(env);
  return {
    ...(dataConverter ? { dataConverter } : {}),
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    // In-flight activities get time to finish on Ctrl-C/SIGTERM; whatever does not is retried later.
    shutdownGraceTime: '20 seconds',
  };
}

export function parseWorkerEnv(source: NodeJS.ProcessEnv): WorkerEnv {
  const parsed = workerEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `- ${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new Error(`The worker's configuration is incomplete:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

export async function runWorker(source: NodeJS.ProcessEnv = process.env): Promise<void> {
  const env = parseWorkerEnv(source);
  const logger = pino({ level: env.LOG_LEVEL, name: 'worker' });
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const database = createDatabase(env.DATABASE_URL, { max: 20 });
  const secrets = createSecretBox(parseEncryptionKey(env.ENCRYPTION_KEY));
  const worker = await Worker.create({
    connection,
    namespace: namespace ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    ...(env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: env.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath }),
    activities: createOrderSyncActivities({ db: database.db, secrets, logger }),
    ...orderSyncWorkerOptions(env),
  });
  logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, namespace }, 'worker started');
  // The SDK shuts the worker down gracefully on SIGINT/SIGTERM; run() resolves once it has.
  await worker.run();
  await database.close();
  await connection.close();
  logger.info('worker stopped');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runWorker().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
