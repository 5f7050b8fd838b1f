import { existsSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { bundleWorkflowCode, type NativeConnectionOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { parseApiEnv } from '../../api/main.js';
import { type RunningApi, startApiServer } from '../../api/server.js';
import { createDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { createSecretBox, parseEncryptionKey } from '../../db/secret-box.js';
import { type RunningSandbox, startSandbox } from '../../servicetitan/sandbox/server.js';
import { payloadCodecFromEnv } from '../../temporal/payload-codec.js';
import { parseWorkerEnv, workflowsPath } from '../../worker.js';
import { allSearchAttributes } from '../../workflows/search-attributes.js';
import { seedDemoTenant } from '../demo-tenant.js';
import { ensureTemporalCli } from '../tools/temporal-cli.js';
import type { SupervisorEnv } from './config.js';
import {
  claimDataDir,
  dataDirLayout,
  ensureDataDir,
  generateApiToken,
  generateEncryptionKey,
  keptSecret,
  readSecretFile,
  writeSecretFile,
} from './data-dir.js';
import { startEmbeddedPostgres, stopLeftovers } from './embedded-postgres.js';
import { startInProcessWorker } from './in-process-worker.js';
import { assertPortsFree, type PortClaim } from './ports.js';
import type { ReadyDetails } from './ready-banner.js';
import { type RuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from './runtime-file.js';
import { portInUseMessage, StartupError } from './startup-error.js';
import {
  startDownloadedDevServer,
  startTemporalDevServer,
  stopLeftoverDevServer,
} from './temporal-dev-server.js';
import { ensureNamespace, ensureSearchAttributes } from './temporal-setup.js';

export interface RunningSystem {
  details: ReadyDetails;
  /** Resolves with a reason when a part stops on its own (the worker fails, the dev server exits). */
  failed: Promise<string>;
  /** Stops everything, worker first and the dev server last; safe to call twice. */
  stop(): Promise<void>;
}

/** Parts in the order they are stopped: in-flight work drains before what it depends on goes away. */
const STOP_ORDER = [
  'runtime-file',
  'worker',
  'api',
  'temporal-client',
  'sandbox',
  'database-pool',
  'postgres',
  'temporal-dev-server',
  'data-dir',
] as const;
type Part = (typeof STOP_ORDER)[number];

export class StartAborted extends Error {}

/**
 * npm start: starts what is not configured — the Temporal dev server and Postgres (side by side),
 * then migrations, search attributes, the ServiceTitan sandbox, the worker, the API — seeds the demo
 * tenant and checks readiness. A failure at any step stops what was already started and rethrows.
 */
export async function startSystem(
  env: SupervisorEnv,
  logger: Logger,
  options: { source?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<RunningSystem> {
  const started = Date.now();
  const source = options.source ?? process.env;
  const log = logger.child({ name: 'supervisor' });
  const stops = new Map<Part, () => Promise<void> | void>();
  let stopping: Promise<void> | undefined;

  const stop = () => {
    stopping ??= (async () => {
      for (const part of STOP_ORDER) {
        const stopPart = stops.get(part);
        if (!stopPart) continue;
        try {
          await stopPart();
        } catch (error) {
          log.error({ err: error, part }, `stopping ${part} failed`);
        }
      }
    })();
    return stopping;
  };
  let devServerExit: Promise<number | null> | undefined;
  const step = () => {
    if (options.signal?.aborted) throw new StartAborted('stopped during start-up');
  };

  try {
    // Everything that can be checked without starting anything comes first.
    const layout = dataDirLayout(env.dataDir);
    ensureDataDir(env.dataDir);
    stops.set('data-dir', claimDataDir(layout));
    // Servers left running by an npm start that was killed hold ports and locks; this DATA_DIR is ours now.
    await stopLeftoverDevServer(layout.temporalPid, layout.temporalDb, log);
    if (!env.DATABASE_URL) stopLeftovers(layout.postgres, log);
    const claims: PortClaim[] = [
      { port: env.PORT, variable: 'PORT', what: 'the API' },
      { port: env.SANDBOX_PORT, variable: 'SANDBOX_PORT', what: 'the ServiceTitan sandbox' },
      ...(env.TEMPORAL_ADDRESS
        ? []
        : [
            { port: env.TEMPORAL_PORT, variable: 'TEMPORAL_PORT', what: 'the Temporal dev server' },
            { port: env.TEMPORAL_UI_PORT, variable: 'TEMPORAL_UI_PORT', what: 'the Temporal UI' },
          ]),
    ];
    await assertPortsFree(claims, env.HOST);
    const apiToken =
      env.API_TOKEN ?? keptSecret(layout.apiToken, generateApiToken, (value) => value.length >= 16);
    const encryptionKey =
      env.ENCRYPTION_KEY ?? keptSecret(layout.encryptionKey, generateEncryptionKey, isKey);
    // The worker's and the API's own schemas, as in production; the embedded database URL is not known
    // yet, so a stand-in lets every other setting be checked before anything starts.
    const processEnv = (databaseUrl: string, uiUrl: string | undefined): NodeJS.ProcessEnv => ({
      ...source,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: encryptionKey,
      API_TOKEN: apiToken,
      PORT: String(env.PORT),
      HOST: env.HOST,
      TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
      TEMPORAL_UI_URL: uiUrl,
    });
    const checked = processEnv(
      env.DATABASE_URL ?? 'postgres://embedded@127.0.0.1:5432/order_sync',
      env.TEMPORAL_UI_URL,
    );
    const workerEnv = asStartupError(() => parseWorkerEnv(checked));
    asStartupError(() => parseApiEnv(checked));
    step();

    // Temporal and Postgres start side by side, and the workflow code is bundled meanwhile: on two
    // cores that is most of a warm start. Each registers its stop as soon as it runs.
    const bundle = workerEnv.WORKFLOW_BUNDLE_PATH
      ? undefined
      : bundleWorkflows(logger.child({ name: 'worker' }));
    bundle?.catch(() => {}); // awaited below; a failure elsewhere must not leave it unhandled

    const startTemporal = async () => {
      if (env.TEMPORAL_ADDRESS) {
        const configured = loadClientConnectConfig();
        return {
          connectionOptions: configured.connectionOptions,
          namespace: configured.namespace ?? 'default',
          uiUrl: env.TEMPORAL_UI_URL,
        };
      }
      const temporalLog = logger.child({ name: 'temporal' });
      const executable = await ensureTemporalCli((line) => temporalLog.info(line));
      step();
      const serverOptions = {
        dbFilename: layout.temporalDb,
        host: env.HOST,
        port: env.TEMPORAL_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        namespace: env.TEMPORAL_NAMESPACE,
        searchAttributes: allSearchAttributes,
        logger: temporalLog,
      };
      const devServer =
        executable.type === 'existing-path'
          ? await startTemporalDevServer({
              ...serverOptions,
              executable: executable.path,
              pidFile: layout.temporalPid,
            })
          : await startDownloadedDevServer(serverOptions);
      stops.set('temporal-dev-server', () => devServer.stop());
      devServerExit = devServer.exited;
      temporalLog.info(
        { address: devServer.address, ui: devServer.uiUrl, db: layout.temporalDb },
        'Temporal dev server started',
      );
      return {
        connectionOptions: { address: devServer.address } as NativeConnectionOptions,
        namespace: env.TEMPORAL_NAMESPACE,
        uiUrl: env.TEMPORAL_UI_URL ?? devServer.uiUrl,
      };
    };

    const startDatabase = async () => {
      let url = env.DATABASE_URL;
      if (!url) {
        const pg = await startEmbeddedPostgres(
          layout.postgres,
          logger.child({ name: 'postgres' }),
          claims.map((claim) => claim.port),
        );
        stops.set('postgres', () => pg.stop());
        url = pg.url;
      }
      const databaseUrl = url;
      await withReason(
        `Cannot migrate the database at ${redact(databaseUrl)}`,
        'check that it runs and that the URL (host, port, user, password, database) is right',
        () => migrate(databaseUrl),
      );
      return databaseUrl;
    };

    const [temporalStarted, databaseStarted] = await Promise.allSettled([startTemporal(), startDatabase()]);
    if (temporalStarted.status === 'rejected') throw temporalStarted.reason;
    if (databaseStarted.status === 'rejected') throw databaseStarted.reason;
    const { connectionOptions, namespace, uiUrl } = temporalStarted.value;
    const databaseUrl = databaseStarted.value;
    step();

    // Temporal namespace and search attributes, through the client connection the API uses too.
    const connection = await withReason(
      `Cannot reach Temporal at ${connectionOptions.address ?? 'localhost:7233'}`,
      'check that it runs, or unset TEMPORAL_ADDRESS to start the dev server',
      () =>
        Connection.connect({
          address: connectionOptions.address,
          tls: connectionOptions.tls,
          apiKey: connectionOptions.apiKey,
          metadata: connectionOptions.metadata,
        }),
    );
    stops.set('temporal-client', () => connection.close());
    await ensureNamespace(connection, namespace, log);
    await ensureSearchAttributes(connection, namespace, log);
    step();

    // The ServiceTitan sandbox.
    let sandbox: RunningSandbox | undefined;
    if (env.SANDBOX_PORT !== 0) {
      if (!readableJson(layout.sandboxState)) {
        log.warn(
          { state: layout.sandboxState },
          'the sandbox state file is damaged: the sandbox sets it aside (*.corrupt-<time>) and starts from its seed',
        );
      }
      sandbox = await listening('SANDBOX_PORT', env.SANDBOX_PORT, 'the ServiceTitan sandbox', () =>
        startSandbox({
          port: env.SANDBOX_PORT,
          host: env.HOST,
          statePath: layout.sandboxState,
          logger: false,
        }),
      );
      const running = sandbox;
      stops.set('sandbox', () => running.close());
      log.info({ url: sandbox.url, state: layout.sandboxState }, 'ServiceTitan sandbox started');
    }
    step();

    // Worker and API share one pool and one secret box here; in production each process has its own.
    const database = createDatabase(databaseUrl, { max: 20 });
    stops.set('database-pool', () => database.close());
    const secrets = createSecretBox(parseEncryptionKey(encryptionKey));
    const worker = await startInProcessWorker({
      workflowBundle: await bundle,
      connectionOptions,
      namespace,
      env: workerEnv,
      db: database.db,
      secrets,
      logger: logger.child({ name: 'worker' }),
    });
    stops.set('worker', () => worker.stop());
    step();

    const apiEnv = asStartupError(() => parseApiEnv(processEnv(databaseUrl, uiUrl)));
    const payloadCodec = asStartupError(() => payloadCodecFromEnv(workerEnv));
    const api: RunningApi = await listening('PORT', env.PORT, 'the API', () =>
      startApiServer({
        db: database.db,
        secrets,
        temporal: {
          client: new Client({
            connection,
            namespace,
            ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}),
          }),
          namespace,
          taskQueue: env.TEMPORAL_TASK_QUEUE,
          uiBaseUrl: apiEnv.TEMPORAL_UI_URL,
        },
        apiToken,
        ...(payloadCodec ? { payloadCodec } : {}),
        logger: logger.child({ name: 'api' }),
        port: env.PORT,
        host: env.HOST,
      }),
    );
    stops.set('api', () => api.close());
    step();

    let demoWebhookSecret: string | undefined;
    if (sandbox) {
      const demo = await seedDemoTenant({
        app: api.app,
        apiToken,
        sandboxUrl: sandbox.url,
        db: database.db,
        secrets,
        preferredWebhookSecret: readSecretFile(layout.demoWebhookSecret),
      });
      writeSecretFile(layout.demoWebhookSecret, demo.webhookSecret);
      demoWebhookSecret = demo.webhookSecret;
      for (const warning of demo.warnings) log.warn(`demo settings: ${warning}`);
      log.info(
        { tenantId: demo.tenantId, created: demo.created, settingsSaved: demo.settingsSaved },
        demo.created ? 'demo tenant created' : 'demo tenant ready',
      );
    }

    const readiness = await api.app.inject({ method: 'GET', url: '/readyz' });
    if (readiness.statusCode !== 200) {
      throw new StartupError(
        `The API is not ready (/readyz answered ${readiness.statusCode}: ${readiness.body}).`,
      );
    }

    const info: RuntimeInfo = {
      pid: process.pid,
      startedAt: new Date(started).toISOString(),
      apiUrl: api.url,
      temporalUiUrl: uiUrl ?? null,
      temporalAddress: connectionOptions.address ?? 'localhost:7233',
      namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      sandboxUrl: sandbox?.url ?? null,
      demoTenantId: demoWebhookSecret ? 'demo' : null,
    };
    writeRuntimeInfo(layout.runtime, info);
    stops.set('runtime-file', () => removeRuntimeInfo(layout.runtime));

    const failed = Promise.race([
      worker.running.then(
        () => 'the worker stopped',
        (error: unknown) => `the worker failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
      ...(devServerExit
        ? [devServerExit.then((code) => `the Temporal dev server exited (code ${code})`)]
        : []),
    ]);
    return {
      details: {
        info,
        apiToken,
        demoWebhookSecret,
        databaseUrl,
        databaseEmbedded: !env.DATABASE_URL,
        dataDir: env.dataDir,
        startedInMs: Date.now() - started,
      },
      // Only a stop nobody asked for is a failure.
      failed: failed.then((reason) => (stopping ? new Promise<string>(() => {}) : reason)),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Whether a state file is absent or parses (the sandbox itself recovers quietly from a damaged one). */
function readableJson(path: string): boolean {
  if (!existsSync(path)) return true;
  try {
    JSON.parse(readFileSync(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The workflow bundle, built while the servers start (the bundler's chatter goes to debug). */
function bundleWorkflows(logger: Logger) {
  const forward = (level: 'debug' | 'warn' | 'error') => (message: string, meta?: object) =>
    logger[level](meta ?? {}, message);
  return bundleWorkflowCode({
    workflowsPath,
    logger: {
      log: (level, message, meta) => logger.debug({ level, ...meta }, message),
      trace: forward('debug'),
      debug: forward('debug'),
      info: forward('debug'),
      warn: forward('warn'),
      error: forward('error'),
    },
  });
}

function isKey(value: string): boolean {
  try {
    parseEncryptionKey(value);
    return true;
  } catch {
    return false;
  }
}

function asStartupError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new StartupError(error instanceof Error ? error.message : String(error));
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Runs a step whose failure needs the step's name and the usual remedy in the one message. */
async function withReason<T>(what: string, remedy: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(`${what} (${error instanceof Error ? error.message : String(error)}): ${remedy}.`);
  }
}

/** A server start whose "port in use" (a race after the early check) gets the port message. */
async function listening<T>(variable: string, port: number, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new StartupError(portInUseMessage(port, variable, what));
    }
    throw error;
  }
}
