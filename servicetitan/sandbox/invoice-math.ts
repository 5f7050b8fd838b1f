import { lineTotalCents } from './money.js';
import type { Invoice, InvoiceItem, TenantData } from './state.js';

// Invoice totals are derived, never stored: subTotal = Σ quantity × price (unless PATCHed explicitly),
// total = subTotal + salesTax, balance = total − payments applied.

export function itemTotalCents(item: InvoiceItem): number {
  return lineTotalCents(item.quantity, item.priceCents);
}

export function subTotalCents(invoice: Invoice): number {
  if (invoice.subTotalOverrideCents !== null) return invoice.subTotalOverrideCents;
  return invoice.items.reduce((sum, item) => sum + itemTotalCents(item), 0);
}

export function totalCents(invoice: Invoice): number {
  return subTotalCents(invoice) + invoice.salesTaxCents;
}

export function balanceCents(invoice: Invoice): number {
  return totalCents(invoice) - invoice.appliedCents;
}

/** Accounts-receivable balance per customer (ST's customer `balance`), for the customers asked about. */
export function customerBalances(tenant: TenantData, customerIds: Iterable<number>): Map<number, number> {
  const wanted = new Set(customerIds);
  const balances = new Map<number, number>();
  if (wanted.size === 0) return balances;
  for (const invoice of tenant.invoices.values()) {
    if (!invoice.active || !wanted.has(invoice.customerId)) continue;
    balances.set(invoice.customerId, (balances.get(invoice.customerId) ?? 0) + balanceCents(invoice));
  }
  return balances;
}
