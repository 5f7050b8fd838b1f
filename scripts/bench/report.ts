/** The contracts §7 fields (a public contract: names and meanings stay), plus the details behind them. */
export interface BenchResult {
  orders: number;
  tenants: number;
  latencyMs: number;
  ordersPerSecond: number | null;
  e2eP50Ms: number | null;
  e2eP99Ms: number | null;
  webhookP50Ms: number | null;
  webhookP99Ms: number | null;
  stCallsPerOrder: number | null;
  minStCallsPerOrder: number;
  rateLimitBoundOrdersPerSecond: number | null;
  efficiency: number | null;
  directOrdersPerSecond: number | null;
  workerRssMb: number | null;
  duplicates: number;
  // Details (additions; §7 says "at least").
  temporalOverhead: number | null;
  steadyOrdersPerSecond: number | null;
  steadySendRate: number;
  steadyE2eP50Ms: number | null;
  steadyE2eP99Ms: number | null;
  burstE2eP50Ms: number | null;
  burstE2eP99Ms: number | null;
  tokenCallsPerOrder: number | null;
  directStCallsPerOrder: number | null;
  directDuplicates: number | null;
  returningOneLineCalls: number | null;
  returningOneLineMinCalls: number;
  notSynced: number;
  callsByRoute: Record<string, number>;
}

const fmt = (value: number | null, unit = '', digits = 1) =>
  value === null ? '—' : `${value.toFixed(digits)}${unit}`;

export function renderTable(r: BenchResult): string {
  const rows: Array<[string, string, string]> = [
    [
      'orders',
      `${r.orders} (${r.tenants} tenant${r.tenants > 1 ? 's' : ''}, ST latency ${r.latencyMs} ms + jitter)`,
      '',
    ],
    [
      'orders/s (burst)',
      fmt(r.ordersPerSecond, '', 2),
      `direct baseline ${fmt(r.directOrdersPerSecond, '', 2)}`,
    ],
    [
      'rate-limit bound',
      fmt(r.rateLimitBoundOrdersPerSecond, ' orders/s', 2),
      '60 × tenants ÷ ST calls per order',
    ],
    ['efficiency', fmt(r.efficiency, '', 2), 'target ≥ 0.90'],
    ['Temporal overhead', fmt(r.temporalOverhead, '×', 2), 'direct orders/s ÷ Temporal orders/s'],
    [
      'steady phase',
      `${fmt(r.steadyOrdersPerSecond, ' orders/s', 2)} (sent at ${r.steadySendRate.toFixed(2)}/s)`,
      `e2e p50 ${fmt(r.steadyE2eP50Ms, ' ms', 0)}, p99 ${fmt(r.steadyE2eP99Ms, ' ms', 0)}`,
    ],
    [
      'burst phase e2e',
      `p50 ${fmt(r.burstE2eP50Ms, ' ms', 0)}, p99 ${fmt(r.burstE2eP99Ms, ' ms', 0)}`,
      'queueing behind the rate limit',
    ],
    ['order → synced', `p50 ${fmt(r.e2eP50Ms, ' ms', 0)}, p99 ${fmt(r.e2eP99Ms, ' ms', 0)}`, 'both phases'],
    [
      'webhook answer',
      `p50 ${fmt(r.webhookP50Ms, ' ms')}, p99 ${fmt(r.webhookP99Ms, ' ms')}`,
      'target p99 < 50 ms',
    ],
    [
      'ST calls/order',
      fmt(r.stCallsPerOrder, '', 2),
      `minimum ${r.minStCallsPerOrder.toFixed(2)}; tokens ${fmt(r.tokenCallsPerOrder, '', 3)}; direct ${fmt(r.directStCallsPerOrder, '', 2)}`,
    ],
    [
      'returning 1-line order',
      fmt(r.returningOneLineCalls, ' calls', 0),
      `minimum ${r.returningOneLineMinCalls}`,
    ],
    ['worker RSS (peak)', fmt(r.workerRssMb, ' MB', 0), ''],
    ['duplicates', String(r.duplicates), `must be 0; direct ${r.directDuplicates ?? '—'}`],
    ['not synced', String(r.notSynced), ''],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => row[1].length));
  const lines = rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  const routes = Object.entries(r.callsByRoute)
    .sort(([, a], [, b]) => b - a)
    .map(([route, perOrder]) => `    ${perOrder.toFixed(2).padStart(6)}  ${route}`);
  return [
    '',
    'servicetitan-order-sync benchmark',
    '',
    ...lines,
    '',
    '  ST calls per order by route (Temporal run):',
    ...routes,
    '',
  ].join('\n');
}
