import { relative, resolve } from 'node:path';
import { SANDBOX_TENANT } from '../../servicetitan/sandbox/seed.js';
import type { RuntimeInfo } from './runtime-file.js';

export interface ReadyDetails {
  info: RuntimeInfo;
  apiToken: string;
  /** The demo tenant's webhook secret; undefined when no demo tenant was seeded (no sandbox). */
  demoWebhookSecret: string | undefined;
  databaseUrl: string;
  databaseEmbedded: boolean;
  dataDir: string;
  startedInMs: number;
}

/** The exact command that sends a sample order to this system. */
export function sendOrderCommand(dataDir: string, kind = 'mixed'): string {
  const prefix = resolve(dataDir) === resolve('.data') ? '' : `DATA_DIR=${shellPath(dataDir)} `;
  return `${prefix}npm run send-order -- --kind ${kind} --wait`;
}

function shellPath(path: string): string {
  const shown = relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || '.';
  return /^[\w./-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** What a person reads when the system is ready: every URL, the credentials, and what to type next. */
export function readyText(details: ReadyDetails): string {
  const { info } = details;
  const rows: Array<[string, string]> = [
    ['API', `${info.apiUrl}   (bearer token: ${details.apiToken})`],
    ['API docs', `${info.apiUrl}/docs`],
    [
      'Temporal UI',
      info.temporalUiUrl
        ? `${info.temporalUiUrl}/namespaces/${encodeURIComponent(info.namespace)}/workflows`
        : 'not configured (set TEMPORAL_UI_URL)',
    ],
    ['Temporal', `${info.temporalAddress}, namespace ${info.namespace}, task queue ${info.taskQueue}`],
  ];
  if (info.sandboxUrl) {
    rows.push([
      'ST sandbox',
      `${info.sandboxUrl}   (tenant ${SANDBOX_TENANT.tenantId}, client ${SANDBOX_TENANT.clientId} / ${SANDBOX_TENANT.clientSecret}, app key ${SANDBOX_TENANT.appKey})`,
    ]);
  } else {
    rows.push(['ST sandbox', 'not started (SANDBOX_PORT=0)']);
  }
  if (info.demoTenantId && details.demoWebhookSecret) {
    rows.push(['Demo tenant', `${info.demoTenantId}   (webhook secret: ${details.demoWebhookSecret})`]);
  }
  rows.push([
    'Database',
    `${withoutPassword(details.databaseUrl)}${details.databaseEmbedded ? '   (embedded)' : ''}`,
  ]);
  rows.push(['Data', details.dataDir]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    '',
    `servicetitan-order-sync is ready (started in ${(details.startedInMs / 1000).toFixed(1)} s)`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
  ];
  if (info.demoTenantId) {
    lines.push(
      'Send a sample order (product, service or mixed; --subscription for one that starts a subscription):',
    );
    lines.push(`  ${sendOrderCommand(details.dataDir)}`);
    lines.push('');
  }
  lines.push('Ctrl-C stops everything; the data stays in the data directory for the next start.', '');
  return lines.join('\n');
}

/** The same facts as one JSON log line, for when the output is collected rather than read. */
export function readyRecord(details: ReadyDetails): string {
  return JSON.stringify({
    level: 30,
    time: Date.now(),
    name: 'order-sync',
    msg: 'ready',
    startedInMs: details.startedInMs,
    ...details.info,
    docsUrl: `${details.info.apiUrl}/docs`,
    // Printed on purpose (the person running npm start needs them); a production process never logs these.
    apiBearerToken: details.apiToken,
    demoSigningSecret: details.demoWebhookSecret ?? null,
    sandboxCredentials: details.info.sandboxUrl ? SANDBOX_TENANT : null,
    databaseUrl: withoutPassword(details.databaseUrl),
    dataDir: details.dataDir,
    sendOrder: details.info.demoTenantId ? sendOrderCommand(details.dataDir) : null,
  });
}
