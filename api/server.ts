import type { FastifyInstance } from 'fastify';
import { type ApiDeps, buildApp } from './app.js';
import { type Dispatcher, type DispatcherOptions, startDispatcher } from './dispatcher.js';
import { createApiLogger, isLogger } from './logger.js';
import { createMetrics } from './metrics.js';

export interface ApiServerOptions extends Omit<ApiDeps, 'dispatcher' | 'metrics'> {
  port: number;
  host?: string;
  /** Tuning of the inbox dispatcher (poll interval, batch size, backoff, timeouts). */
  dispatcher?: Omit<DispatcherOptions, 'db' | 'client' | 'taskQueue' | 'logger' | 'metrics'>;
}

export interface RunningApi {
  app: FastifyInstance;
  dispatcher: Dispatcher;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** Stops taking requests, lets in-flight ones finish, then stops the dispatcher. */
  close(): Promise<void>;
}

/**
 * The API process's moving parts together: the app listening on its port and the inbox dispatcher,
 * sharing one logger and one metrics registry. Used by api/main.ts and by the all-in-one launcher.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApi> {
  const { port, host = '0.0.0.0', dispatcher: dispatcherOptions, ...deps } = options;
  const logger = isLogger(deps.logger) ? deps.logger : createApiLogger(deps.logger);
  const metrics = createMetrics({ defaultMetrics: true });
  const dispatcher = startDispatcher({
    ...dispatcherOptions,
    db: deps.db,
    client: deps.temporal.client,
    taskQueue: deps.temporal.taskQueue,
    logger: logger.child({ component: 'dispatcher' }),
    metrics,
  });
  let app: FastifyInstance;
  try {
    app = await buildApp({ ...deps, logger, metrics, dispatcher });
    await app.listen({ port, host });
  } catch (error) {
    await dispatcher.stop();
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    app,
    dispatcher,
    url: `http://${urlHost}:${actualPort}`,
    async close() {
      await app.close();
      await dispatcher.stop();
    },
  };
}
