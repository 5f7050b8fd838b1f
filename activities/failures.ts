import { ApplicationFailure } from '@temporalio/activity';
import { SyncErrorType } from '../domain/sync-errors.js';
import { isServiceTitanError } from '../servicetitan/errors.js';

/** A permanent failure: not retried; the workflow parks the order with this message for an operator. */
export function permanentFailure(
  type: SyncErrorType,
  message: string,
  details?: unknown,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/**
 * Turns what an activity threw into what Temporal should do with it: ServiceTitan's permanent
 * answers (4xx) become non-retryable failures with ServiceTitan's own explanation; transient ones
 * (429, 5xx, timeouts) retry, after `Retry-After` when ServiceTitan gave one.
 */
export function toActivityFailure(error: unknown, doing: string): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (!isServiceTitanError(error)) return error;
  if (error.kind === 'transient') {
    return ApplicationFailure.create({
      type: `SERVICETITAN_${error.code.toUpperCase().replaceAll('-', '_')}`,
      message: `${doing}: ${error.plainMessage}`,
      nonRetryable: false,
      nextRetryDelay: error.retryAfterMs,
    });
  }
  const type =
    error.code === 'invalid-credentials' || error.code === 'unauthorized' || error.code === 'forbidden'
      ? SyncErrorType.ServiceTitanAuth
      : SyncErrorType.ServiceTitanRejected;
  return permanentFailure(type, `${doing}: ${error.plainMessage}`, error.toJSON());
}

/** Runs an activity body, mapping its failure as above; `doing` names the step in plain language. */
export async function mapFailures<T>(doing: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toActivityFailure(error, doing);
  }
}
