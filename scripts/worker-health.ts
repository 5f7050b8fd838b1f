/**
 * A worker's health check (`node --import tsx scripts/worker-health.ts`; docker-compose.yml runs it):
 * healthy when a worker on this host is polling the task queue, which proves the process is alive,
 * reaches Temporal and takes work. Exits 0 when healthy, 1 with the reason otherwise.
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

// temporal.api.enums.v1 values (the proto package is not a direct dependency).
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/** Worker identities are `<pid>@<hostname>` by default, so the host tells this container's workers apart. */
export async function workerIsPolling(options: {
  client: Client;
  namespace: string;
  taskQueue: string;
  host?: string;
}): Promise<{ healthy: boolean; reason: string }> {
  const host = options.host ?? hostname();
  const { pollers } = await options.client.workflowService.describeTaskQueue({
    namespace: options.namespace,
    taskQueue: { name: options.taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
    taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
  });
  const mine = (pollers ?? []).filter((poller) => poller.identity?.endsWith(`@${host}`));
  return mine.length > 0
    ? { healthy: true, reason: `${mine.length} poller(s) of ${host} on ${options.taskQueue}` }
    : { healthy: false, reason: `no worker of ${host} polls task queue ${options.taskQueue}` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
    const connection = await Connection.connect({
      address: connectionOptions.address,
      tls: connectionOptions.tls,
      apiKey: connectionOptions.apiKey,
      metadata: connectionOptions.metadata,
      connectTimeout: '5s',
    });
    const result = await workerIsPolling({
      client: new Client({ connection, namespace }),
      namespace,
      taskQueue: process.env.TEMPORAL_TASK_QUEUE || 'order-sync',
    });
    await connection.close();
    console.log(result.reason);
    process.exit(result.healthy ? 0 : 1);
  } catch (error) {
    console.error(`unhealthy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
