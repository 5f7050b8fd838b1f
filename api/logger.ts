import { type DestinationStream, type Logger, type LoggerOptions, pino, stdSerializers } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line. Handlers never log secrets on purpose;
 * this is the safety net for a future `log.info({ body })` or a library that logs its options.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'headers.authorization',
  'headers["webhook-signature"]',
  'authorization',
  'clientSecret',
  'appKey',
  'webhookSecret',
  'webhookSecrets',
  'generatedWebhookSecret',
  'apiToken',
  '*.clientSecret',
  '*.appKey',
  '*.webhookSecret',
  '*.webhookSecrets',
  '*.generatedWebhookSecret',
  '*.apiToken',
  '*.*.clientSecret',
  '*.*.appKey',
  '*.*.webhookSecret',
  '*.*.webhookSecrets',
];

/**
 * Errors are logged without the SQL parameters drizzle attaches to them: those carry customer names,
 * phones and addresses, and encrypted secrets, none of which belong in a log line.
 */
function errorWithoutParams(error: unknown): unknown {
  const serialized: unknown = stdSerializers.err(error as Error);
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const out: Record<string, unknown> = { ...serialized };
  if ('params' in out) out.params = '[omitted]';
  // Drizzle also repeats the parameters in its message ("Failed query: …\nparams: …").
  for (const key of ['message', 'stack']) {
    const text = out[key];
    if (typeof text === 'string') out[key] = text.replace(/\nparams: [^\n]*/g, '\nparams: [omitted]');
  }
  return out;
}

export type ApiLoggerOptions = LoggerOptions & { stream?: DestinationStream };

/** The API's pino logger, always with redaction of secrets. */
export function createApiLogger(options: ApiLoggerOptions = {}): Logger {
  const { stream, ...rest } = options;
  const config: LoggerOptions = {
    level: 'info',
    name: 'api',
    ...rest,
    serializers: { ...rest.serializers, err: errorWithoutParams },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return stream ? pino(config, stream) : pino(config);
}

export function isLogger(value: unknown): value is Logger {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Logger).child === 'function' &&
    typeof (value as Logger).info === 'function'
  );
}
