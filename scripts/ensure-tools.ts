/**
 * `npm run tools`: makes the Temporal CLI (dev server + UI) and the time-skipping test server
 * available without internet access, caching them in .tools/ (or TOOLS_DIR). Idempotent.
 */

import { findPostgresBinaries } from './tools/postgres.js';
import { ensureTemporalCli, ToolUnavailableError, temporalCliVersion } from './tools/temporal-cli.js';
import { ensureTimeSkippingServer } from './tools/test-server.js';

const log = (line: string) => console.log(line);

try {
  const cli = await ensureTemporalCli(log);
  log(
    cli.type === 'existing-path'
      ? `Temporal CLI: ${cli.path} (${temporalCliVersion(cli.path)})`
      : 'Temporal CLI: SDK download',
  );
  const testServer = await ensureTimeSkippingServer(log);
  log(
    testServer.type === 'existing-path'
      ? `Time-skipping test server: ${testServer.path}`
      : 'Test server: SDK download',
  );
  if (!process.env.DATABASE_URL) log(`PostgreSQL binaries: ${findPostgresBinaries()}`);
} catch (error) {
  if (error instanceof ToolUnavailableError) {
    console.error(`\n${error.message}`);
  } else {
    console.error(
      `\nCould not prepare the Temporal tools: ${error instanceof Error ? error.message : String(error)}\n` +
        'Install Go (to build the Temporal CLI) and Java 17 with Maven (for the test server), or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH.',
    );
  }
  process.exit(1);
}
