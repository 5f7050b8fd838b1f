import { SecretKeyError } from '../../db/secret-box.js';
import { ToolUnavailableError } from '../tools/temporal-cli.js';

/**
 * A start-up failure whose message is complete for a person: what went wrong and what to do.
 * The supervisor prints it alone (no stack) and exits 1.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

export function portInUseMessage(port: number, variable: string, what: string): string {
  return `Port ${port} (${variable}, ${what}) is already in use: stop whatever listens there (another npm start?) or choose another port, e.g. ${variable}=${suggestPort(port)} npm start.`;
}

function suggestPort(port: number): number {
  return port >= 65000 ? port - 1000 : port + 100;
}

/** The one message to show for a failure during start-up. */
export function startupFailureMessage(error: unknown): string {
  if (error instanceof StartupError || error instanceof ToolUnavailableError) return error.message;
  if (error instanceof SecretKeyError) {
    return `${error.message} Use the ENCRYPTION_KEY the data was saved with (npm start keeps its generated key in DATA_DIR/encryption-key), or start with an empty DATA_DIR.`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    const port = (error as { port?: unknown }).port;
    return `A port npm start needs${port ? ` (${port})` : ''} is already in use: stop whatever listens there or choose other ports (PORT, SANDBOX_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `npm start failed: ${message}\nRun again with LOG_LEVEL=debug to see the details, or report this with the output above.`;
}
