import { ExternalKey } from '../../activities/external-keys.js';
import type { SandboxControl } from './sandbox.js';

interface WithExternalData {
  externalData?: Record<string, Array<{ key: string; value: string }>>;
  active?: boolean;
}

function markerValues(record: WithExternalData, key: string): string[] {
  return Object.values(record.externalData ?? {})
    .flat()
    .filter((item) => item.key === key)
    .map((item) => item.value);
}

/** How many records share one value: everything past the first is a duplicate. */
function countDuplicates(values: Iterable<string>): number {
  const seen = new Map<string, number>();
  for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
  let extra = 0;
  for (const count of seen.values()) extra += count - 1;
  return extra;
}

export interface DuplicateReport {
  customers: number;
  locations: number;
  jobs: number;
  invoiceItems: number;
  payments: number;
  pricebookItems: number;
  total: number;
}

/**
 * Entities created more than once, read from the sandbox's own state (not from what our side
 * recorded): customers and locations by our store-order marker, jobs by their order/kind key, invoice
 * items by their line marker, payments by the store payment id, pricebook items by code.
 */
export async function countDuplicateEntities(
  sandbox: SandboxControl,
  serviceTitanTenantIds: number[],
  orderIdPrefix: string,
): Promise<DuplicateReport> {
  const report: DuplicateReport = {
    customers: 0,
    locations: 0,
    jobs: 0,
    invoiceItems: 0,
    payments: 0,
    pricebookItems: 0,
    total: 0,
  };
  const ours = (value: string) => value.includes(orderIdPrefix);
  for (const tenantId of serviceTitanTenantIds) {
    const state = await sandbox.state(tenantId);
    const list = <T>(name: string) => (state[name] ?? []) as T[];
    report.customers += countDuplicates(
      list<WithExternalData>('customers')
        .flatMap((c) => markerValues(c, ExternalKey.storeOrder))
        .filter(ours),
    );
    report.locations += countDuplicates(
      list<WithExternalData>('locations')
        .flatMap((l) => markerValues(l, ExternalKey.storeOrder))
        .filter(ours),
    );
    report.jobs += countDuplicates(
      list<WithExternalData>('jobs')
        .flatMap((j) => markerValues(j, ExternalKey.storeJob))
        .filter(ours),
    );
    report.invoiceItems += countDuplicates(
      list<{ items: Array<{ description: string }> }>('invoices').flatMap((invoice) =>
        invoice.items
          .map((item) => /\[store order [^\]]+\]/.exec(item.description)?.[0])
          .filter((marker): marker is string => marker !== undefined),
      ),
    );
    report.payments += countDuplicates(
      list<{ exportId: string | null; active: boolean }>('payments')
        .filter((p) => p.active && p.exportId !== null)
        .map((p) => p.exportId as string)
        .filter(ours),
    );
    report.pricebookItems += countDuplicates(
      list<{ code: string; kind: string; active: boolean }>('pricebook')
        .filter((item) => item.active)
        .map((item) => `${item.kind}:${item.code.toLowerCase()}`),
    );
  }
  report.total =
    report.customers +
    report.locations +
    report.jobs +
    report.invoiceItems +
    report.payments +
    report.pricebookItems;
  return report;
}
