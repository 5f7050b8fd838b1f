import { resolve } from 'node:path';
import { SANDBOX_TENANT } from './seed.js';
import { startSandbox } from './server.js';

// `npm run sandbox`: the ServiceTitan sandbox alone, on SANDBOX_PORT (default 3001), keeping its
// state in DATA_DIR/sandbox-state.json (DATA_DIR defaults to .data).

const port = Number(process.env.SANDBOX_PORT ?? 3001);
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const statePath = resolve(process.env.DATA_DIR ?? '.data', 'sandbox-state.json');

const sandbox = await startSandbox({
  port,
  host,
  statePath,
  logger: { level: process.env.LOG_LEVEL ?? 'warn' },
});

process.stdout.write(
  [
    `ServiceTitan sandbox listening on ${sandbox.url}`,
    `  token endpoint  POST ${sandbox.url}/connect/token`,
    `  tenant id       ${SANDBOX_TENANT.tenantId}`,
    `  client id       ${SANDBOX_TENANT.clientId}`,
    `  client secret   ${SANDBOX_TENANT.clientSecret}`,
    `  app key         ${SANDBOX_TENANT.appKey}`,
    `  state file      ${statePath}`,
    `  control         ${sandbox.url}/_sandbox/{reset,faults,requests,config,state,tenants}`,
    '',
  ].join('\n'),
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`ServiceTitan sandbox stopping (${signal})\n`);
  await sandbox.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
