import {
  type Client,
  isGrpcDeadlineError,
  isGrpcServiceError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
  WorkflowNotFoundError,
} from '@temporalio/client';

/** Temporal's connection to use from request handlers and the dispatcher. */
export interface TemporalAccess {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** Base URL of the Temporal UI (e.g. http://localhost:8233), for links to workflows. */
  uiBaseUrl?: string | undefined;
}

/**
 * Runs Temporal calls with a deadline. Without one a call to an unreachable server retries for a long
 * time; a request handler or a dispatch batch must give up and report instead.
 */
export function withDeadline<T>(client: Client, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  return client.connection.withDeadline(Date.now() + timeoutMs, fn);
}

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** Whether the error says Temporal could not be reached (rather than that the call was refused). */
export function isTemporalUnavailable(error: unknown): boolean {
  if (isGrpcDeadlineError(error)) return true;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (isGrpcServiceError(current) && (current.code === UNAVAILABLE || current.code === DEADLINE_EXCEEDED)) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The workflow's latest run, or null when there is none. */
export async function describeOrNull(handle: WorkflowHandle): Promise<WorkflowExecutionDescription | null> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** A link to the workflow's latest run in the Temporal UI, or null when no UI is configured. */
export function temporalUiLink(
  temporal: Pick<TemporalAccess, 'uiBaseUrl' | 'namespace'>,
  workflowId: string,
): string | null {
  if (!temporal.uiBaseUrl) return null;
  const base = temporal.uiBaseUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
