import { findLedgerEntry, orderScope, recordLedgerEntry } from '../db/ledger.js';
import { recordOrderStep } from '../db/orders.js';
import { addMoney, moneyToNumber } from '../domain/money.js';
import type { OrderSyncActivities } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext } from './deps.js';

export function createPaymentActivities(deps: ActivityDeps): Pick<OrderSyncActivities, 'recordPayment'> {
  return {
    recordPayment: (input) => recordOrderPayment(deps, input),
  };
}

/**
 * One ServiceTitan payment for the store's charge, split across the order's invoices. Payments
 * have no external key: the memo names the store payment id, and a retry looks for it on the
 * invoices before creating anything.
 */
export async function recordOrderPayment(
  deps: ActivityDeps,
  {
    tenantId,
    orderId,
    customerId,
    paymentTypeId,
    splits,
  }: Parameters<OrderSyncActivities['recordPayment']>[0],
): Promise<{ paymentId: number }> {
  const ledgerKey = { tenantId, scope: orderScope(orderId), step: 'payment' };
  const record = async (paymentId: number, created: boolean) => {
    await recordLedgerEntry(deps.db, ledgerKey, { stEntityId: paymentId, created, details: null });
    await recordOrderStep(
      deps.db,
      tenantId,
      orderId,
      'payment',
      { state: 'done', ids: { paymentId } },
      { stIds: { paymentId } },
    );
    return { paymentId };
  };
  const known = await findLedgerEntry(deps.db, ledgerKey);
  if (known) return { paymentId: known.stEntityId };

  const { serviceTitan } = await tenantContext(deps, tenantId);
  const order = await loadOrder(deps, tenantId, orderId);
  const memo = `Contractor Commerce order #${order.number}, store payment ${order.payment.id}`;
  const previous = (
    await serviceTitan.accounting.payments.listByInvoices(splits.map((s) => s.invoiceId))
  ).find((payment) => payment.active && (payment.memo ?? '').includes(`store payment ${order.payment.id}`));
  if (previous) return record(previous.id, true);

  const total = splits.reduce((sum, split) => addMoney(sum, split.amount), '0.00');
  const payment = await serviceTitan.accounting.payments.create({
    typeId: paymentTypeId,
    amount: moneyToNumber(total),
    customerId,
    paidOn: order.payment.paidAt,
    memo,
    exportId: order.payment.id,
    splits: splits.map((split) => ({ invoiceId: split.invoiceId, amount: moneyToNumber(split.amount) })),
  });
  return record(payment.id, true);
}
