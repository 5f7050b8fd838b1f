/**
 * Whether an error means "the database cannot be reached right now" (connection refused or lost,
 * server shutting down, connections not allowed): the API answers 503 so callers retry, instead of
 * a 500 that says the request itself was wrong.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  // Postgres SQLSTATEs: admin shutdown, crash shutdown, cannot connect now, too many connections,
  // database does not allow connections / does not exist (dropped under us), connection failure.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '55000',
  '3D000',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  // Drizzle wraps driver errors (DrizzleQueryError → cause); walk a few levels.
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (typeof current === 'object' && current !== null) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
      if (current instanceof AggregateError && current.errors.some((inner) => isDatabaseUnavailable(inner))) {
        return true;
      }
      current = (current as { cause?: unknown }).cause;
    } else {
      return false;
    }
  }
  return false;
}
