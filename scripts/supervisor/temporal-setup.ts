import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { Logger } from 'pino';
import { allSearchAttributes } from '../../workflows/search-attributes.js';
import { StartupError } from './startup-error.js';

const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;
const UNIMPLEMENTED = 12;

/** Retention of a namespace this code creates (self-hosted clusters; Temporal Cloud namespaces exist already). */
const NEW_NAMESPACE_RETENTION = '30 days';

/**
 * Makes sure the namespace exists, creating it on a self-hosted cluster that lacks it (as the compose
 * deployment's does on first start). Temporal Cloud namespaces are created in Cloud, never here.
 */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  logger: Logger,
): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (error) {
    if (!isGrpcServiceError(error) || error.code !== NOT_FOUND) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(NEW_NAMESPACE_RETENTION),
    });
    logger.info({ namespace }, 'created the Temporal namespace');
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === ALREADY_EXISTS) return;
    throw new StartupError(
      `The Temporal namespace "${namespace}" does not exist and could not be created (${describe(error)}). Create it (temporal operator namespace create -n ${namespace}, or in Temporal Cloud) or set TEMPORAL_NAMESPACE to an existing one.`,
    );
  }
}

/**
 * Registers the search attributes operators filter by (contracts §5), idempotently: only the
 * missing ones are added, so this runs on every start against the dev server or any cluster.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  logger: Logger,
): Promise<void> {
  // A namespace created a moment ago takes a few seconds to reach every frontend cache.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await registerMissing(connection, namespace, logger);
      return;
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === NOT_FOUND) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function registerMissing(connection: Connection, namespace: string, logger: Logger): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const missing: Record<string, number> = {};
  for (const key of allSearchAttributes) {
    const wanted = encodeSearchAttributeIndexedValueType(key.type) as number;
    const found = existing[key.name];
    if (found === undefined) missing[key.name] = wanted;
    else if (found !== wanted) {
      throw new StartupError(
        `The search attribute ${key.name} exists in namespace "${namespace}" with another type; this product needs it as ${key.type}. Use another namespace (TEMPORAL_NAMESPACE) or remove the attribute (temporal operator search-attribute remove -n ${namespace} --name ${key.name}).`,
      );
    }
  }
  const names = Object.keys(missing);
  if (names.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    if (isGrpcServiceError(error) && (error.code === PERMISSION_DENIED || error.code === UNIMPLEMENTED)) {
      const commands = names
        .map(
          (name) => `temporal operator search-attribute create -n ${namespace} --name ${name} --type Keyword`,
        )
        .join('; ');
      throw new StartupError(
        `Not allowed to register the search attributes ${names.join(', ')} in namespace "${namespace}" (${describe(error)}). Register them once with an admin's rights (${commands}), or in Temporal Cloud's namespace settings.`,
      );
    }
    throw error;
  }
  logger.info({ namespace, searchAttributes: names }, 'registered search attributes');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
