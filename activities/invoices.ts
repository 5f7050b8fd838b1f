import { recordOrderStep } from '../db/orders.js';
import { moneyEquals, moneyToNumber } from '../domain/money.js';
import { linesOfKind } from '../domain/order.js';
import { SyncErrorType } from '../domain/sync-errors.js';
import type { Invoice } from '../servicetitan/accounting.js';
import type { ServiceTitanClient } from '../servicetitan/client.js';
import type { OrderSyncActivities } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext } from './deps.js';
import { invoiceLineMarker } from './external-keys.js';
import { permanentFailure } from './failures.js';

/** A just-created job's invoice can be missing from a read for a moment; the activity retries. */
async function readInvoice(serviceTitan: ServiceTitanClient, invoiceId: number): Promise<Invoice> {
  const invoice = await serviceTitan.accounting.invoices.getById(invoiceId);
  if (!invoice) throw new Error(`Invoice ${invoiceId} is not readable in ServiceTitan yet; retrying.`);
  return invoice;
}

const amount = (value: string | null | undefined) => value ?? '0.00';

export function createInvoiceActivities(
  deps: ActivityDeps,
): Pick<OrderSyncActivities, 'buildInvoice' | 'removeInvoiceItems'> {
  return {
    /**
     * Adds one item per order line (SKU, quantity, unit price, description) and the kind's tax to
     * the job's invoice, then reads it back. Invoice items carry no external key, so each item's
     * description ends with a line marker: a retry sees which lines are already on the invoice.
     * A total that differs from the order's (the $0-invoice trap) is a permanent failure.
     */
    async buildInvoice({ tenantId, orderId, kind, invoiceId, skuIdsByLine, taxShare, expectedTotal }) {
      const { serviceTitan } = await tenantContext(deps, tenantId);
      const order = await loadOrder(deps, tenantId, orderId);
      const lines = linesOfKind(order, kind);
      const before = await readInvoice(serviceTitan, invoiceId);
      const descriptions = (before.items ?? []).map((item) => item.description ?? '');
      for (const line of lines) {
        const marker = invoiceLineMarker(order.number, line.id);
        if (descriptions.some((d) => d.includes(marker))) continue;
        const skuId = skuIdsByLine[line.id];
        if (skuId === undefined)
          throw new Error(`No pricebook SKU was resolved for line ${line.id}; retrying the step.`);
        await serviceTitan.accounting.invoices.patchItem(invoiceId, {
          skuId,
          description: `${line.description || line.name} ${marker}`,
          quantity: line.quantity,
          unitPrice: moneyToNumber(line.unitPrice),
        });
      }
      if (!moneyEquals(amount(before.salesTax), taxShare)) {
        await serviceTitan.accounting.invoices.update(invoiceId, { tax: moneyToNumber(taxShare) });
      }

      const after = await readInvoice(serviceTitan, invoiceId);
      const ours = (after.items ?? []).filter((item) =>
        (item.description ?? '').includes(`[store order ${order.number} ·`),
      );
      const total = amount(after.total);
      if (!moneyEquals(total, expectedTotal)) {
        const zeroItems = ours.filter((item) => moneyEquals(amount(item.total), '0'));
        const hint = zeroItems.length
          ? ` ${zeroItems.length} item(s) landed at $0 (${zeroItems.map((i) => i.skuName ?? i.skuId).join(', ')}): ServiceTitan priced them itself, which happens with Material items under dynamic pricing. Use "Equipment" as the invoice item type, or fix the SKU's pricing, then retry.`
          : ' Check the invoice in ServiceTitan for items or tax added by hand, then retry.';
        throw permanentFailure(
          SyncErrorType.InvoiceTotalMismatch,
          `Invoice ${invoiceId} totals ${total} in ServiceTitan but the store order #${order.number} (${kind}) totals ${expectedTotal}.${hint}`,
          { invoiceId, total, expectedTotal },
        );
      }
      await recordOrderStep(deps.db, tenantId, orderId, `invoice:${kind}`, {
        state: 'done',
        ids: { invoiceId, itemIds: ours.map((item) => item.id) },
        detail: `total ${total}`,
      });
      return { invoiceId, total, itemIds: ours.map((item) => item.id) };
    },

    /** Saga: takes this order's items (and tax) off the invoice, so no half-built invoice is left. */
    async removeInvoiceItems({ tenantId, orderId, kind, invoiceId }) {
      const { serviceTitan } = await tenantContext(deps, tenantId);
      const order = await loadOrder(deps, tenantId, orderId);
      const invoice = await readInvoice(serviceTitan, invoiceId);
      const markers = linesOfKind(order, kind).map((line) => invoiceLineMarker(order.number, line.id));
      const ours = (invoice.items ?? []).filter((item) =>
        markers.some((m) => (item.description ?? '').includes(m)),
      );
      for (const item of ours) await serviceTitan.accounting.invoices.deleteItem(invoiceId, item.id);
      if (!moneyEquals(amount(invoice.salesTax), '0'))
        await serviceTitan.accounting.invoices.update(invoiceId, { tax: 0 });
      await recordOrderStep(deps.db, tenantId, orderId, `invoice:${kind}`, {
        state: 'compensated',
        ids: { invoiceId },
        detail: `${ours.length} item(s) removed until the retry`,
      });
      return { removed: ours.length };
    },
  };
}
