import {
  NativeConnection,
  type NativeConnectionOptions,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import { createOrderSyncActivities } from '../../activities/index.js';
import type { Database } from '../../db/client.js';
import type { SecretBox } from '../../db/secret-box.js';
import { orderSyncWorkerOptions, type WorkerEnv, workflowsPath } from '../../worker.js';

export interface InProcessWorkerOptions {
  /** Bundled already (npm start bundles while its servers start); else WORKFLOW_BUNDLE_PATH or bundle now. */
  workflowBundle?: WorkflowBundleWithSourceMap | undefined;
  connectionOptions: NativeConnectionOptions;
  namespace: string;
  /** Parsed by worker.ts's own schema, so npm start and `npm run start:worker` accept the same settings. */
  env: WorkerEnv;
  db: Database;
  secrets: SecretBox;
  logger: Logger;
}

export interface InProcessWorker {
  /** Settles when the worker stops; rejects if it fails (the supervisor then stops everything). */
  running: Promise<void>;
  /** Graceful: stops polling, lets in-flight activities finish (up to the grace time), then returns. */
  stop(): Promise<void>;
}

/**
 * The production worker (worker.ts's workflows, activities and options) inside the supervisor
 * process: one process to start and stop, one log stream, and an explicit place in the stop order.
 */
export async function startInProcessWorker(options: InProcessWorkerOptions): Promise<InProcessWorker> {
  const { env, logger } = options;
  const connection = await NativeConnection.connect(options.connectionOptions);
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      ...(options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : env.WORKFLOW_BUNDLE_PATH
          ? { workflowBundle: { codePath: env.WORKFLOW_BUNDLE_PATH } }
          : { workflowsPath }),
      activities: createOrderSyncActivities({ db: options.db, secrets: options.secrets, logger }),
      ...orderSyncWorkerOptions(env),
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const running = worker.run().finally(() => connection.close().catch(() => {}));
  logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, namespace: options.namespace }, 'worker started');
  return {
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') {
        const grace = orderSyncWorkerOptions(env).shutdownGraceTime;
        logger.info(`worker stopping: in-flight activities get up to ${String(grace)} to finish`);
        worker.shutdown();
      }
      await running.catch(() => {});
      logger.info('worker stopped');
    },
  };
}
