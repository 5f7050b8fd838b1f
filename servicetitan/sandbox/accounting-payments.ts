import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { markPaid } from './accounting-invoices.js';
import { apiRouter, queryOf, type SandboxContext, tenantOf } from './context.js';
import { badRequest } from './errors.js';
import { centsToNumber, formatCents, toCents } from './money.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, dateRangeFilter, sortItems } from './query.js';
import { type Invoice, isoNow, type Payment, type PaymentSplit, type TenantData } from './state.js';
import { isoDateTime, parseBody } from './validation.js';

// Payments: each split is applied to an invoice at once and lowers its balance. The payment type
// must exist and be active (a type deactivated in ST's UI is refused).

const PAYMENT_STATUSES = ['Pending', 'Posted', 'Exported'] as const;

const createPaymentSchema = z.object({
  typeId: z.number().int(),
  amount: z.number().finite().nullish(),
  customerId: z.number().int().nullish(),
  paidOn: isoDateTime.nullish(),
  memo: z.string().nullish(),
  authCode: z.string().nullish(),
  checkNumber: z.string().nullish(),
  exportId: z.string().nullish(),
  status: z.enum(PAYMENT_STATUSES).nullish(),
  splits: z
    .array(
      z.object({
        invoiceId: z.number().int().nullish(),
        invoiceNumber: z.string().nullish(),
        amount: z.number().finite().nullish(),
      }),
    )
    .nullish(),
});

function paymentResponse(tenant: TenantData, p: Payment) {
  return {
    active: p.active,
    authCode: p.authCode,
    checkNumber: p.checkNumber,
    customerId: p.customerId,
    exportId: p.exportId,
    id: p.id,
    memo: p.memo,
    paidOn: p.paidOn,
    splits: p.splits.map((s) => ({
      amount: centsToNumber(s.amountCents),
      invoiceId: s.invoiceId,
      invoiceNumber: tenant.invoices.get(s.invoiceId)?.referenceNumber ?? null,
    })),
    status: p.status,
    transactionStatus: 'Success',
    typeId: p.typeId,
  };
}

function detailedPaymentResponse(tenant: TenantData, p: Payment) {
  const applied = p.splits.reduce((sum, s) => sum + s.amountCents, 0);
  const firstInvoice = p.splits[0] ? tenant.invoices.get(p.splits[0].invoiceId) : undefined;
  const bu = firstInvoice ? tenant.businessUnits.get(firstInvoice.businessUnitId) : undefined;
  const customer = p.customerId === null ? undefined : tenant.customers.get(p.customerId);
  return {
    active: p.active,
    appliedTo: p.splits.map((s) => ({
      appliedAmount: formatCents(s.amountCents),
      appliedBy: 'Sandbox API',
      appliedId: s.id,
      appliedOn: p.createdOn,
      appliedTo: s.invoiceId,
      appliedToReferenceNumber: tenant.invoices.get(s.invoiceId)?.referenceNumber ?? null,
    })),
    authCode: p.authCode,
    batch: null,
    businessUnit: bu ? { id: bu.id, name: bu.name } : null,
    checkNumber: p.checkNumber,
    createdBy: 'Sandbox API',
    createdOn: p.createdOn,
    customer: p.customerId === null ? null : { id: p.customerId, name: customer?.name ?? null },
    customFields: [],
    date: p.paidOn,
    deposit: null,
    generalLedgerAccount: null,
    id: p.id,
    memo: p.memo,
    modifiedOn: p.modifiedOn,
    referenceNumber: String(p.id),
    refundedPaymentId: null,
    syncStatus: p.status,
    total: formatCents(p.amountCents),
    type: tenant.paymentTypes.get(p.typeId)?.name ?? null,
    // ST's detailed payment answers typeId as a string.
    typeId: String(p.typeId),
    unappliedAmount: formatCents(p.amountCents - applied),
  };
}

export function registerPaymentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const api = apiRouter(app, 'accounting');

  api.post('/payments', (req) => {
    const tenant = tenantOf(req);
    const body = parseBody(createPaymentSchema, req.body);
    const type = tenant.paymentTypes.get(body.typeId);
    if (!type) throw badRequest('typeId', `Payment type with id ${body.typeId} was not found.`);
    if (!type.active) throw badRequest('typeId', `Payment type ${type.id} (${type.name}) is inactive.`);
    if (body.customerId != null && !tenant.customers.has(body.customerId)) {
      throw badRequest('customerId', `Customer with id ${body.customerId} was not found.`);
    }
    const resolved: { invoice: Invoice; amountCents: number }[] = (body.splits ?? []).map((split, i) => {
      const field = `splits[${i}]`;
      let invoice: Invoice | undefined;
      if (split.invoiceId != null) invoice = tenant.invoices.get(split.invoiceId);
      else if (split.invoiceNumber != null) {
        invoice = [...tenant.invoices.values()].find((inv) => inv.referenceNumber === split.invoiceNumber);
      } else throw badRequest(`${field}.invoiceId`, 'Each split needs invoiceId or invoiceNumber.');
      if (!invoice) {
        throw badRequest(
          `${field}.invoiceId`,
          `Invoice ${split.invoiceId ?? split.invoiceNumber} was not found.`,
        );
      }
      if (split.amount == null) throw badRequest(`${field}.amount`, `The ${field}.amount field is required.`);
      if (body.customerId != null && invoice.customerId !== body.customerId) {
        throw badRequest(
          `${field}.invoiceId`,
          `Invoice ${invoice.id} belongs to customer ${invoice.customerId}, not ${body.customerId}.`,
        );
      }
      return { invoice, amountCents: toCents(split.amount) };
    });
    const splitTotal = resolved.reduce((sum, s) => sum + s.amountCents, 0);
    if (body.amount == null && resolved.length === 0) {
      throw badRequest('amount', 'A payment needs an amount or at least one split.');
    }
    const amountCents = body.amount == null ? splitTotal : toCents(body.amount);
    if (splitTotal > amountCents) {
      throw badRequest(
        'splits',
        `The splits (${formatCents(splitTotal)}) exceed the payment amount (${formatCents(amountCents)}).`,
      );
    }
    const now = ctx.now();
    const splits: PaymentSplit[] = resolved.map((s) => ({
      id: ctx.nextId(),
      invoiceId: s.invoice.id,
      amountCents: s.amountCents,
    }));
    const payment: Payment = {
      id: ctx.nextId(),
      typeId: type.id,
      amountCents,
      customerId: body.customerId ?? resolved[0]?.invoice.customerId ?? null,
      memo: body.memo ?? null,
      paidOn: body.paidOn ? isoNow(new Date(body.paidOn)) : now,
      authCode: body.authCode ?? null,
      checkNumber: body.checkNumber ?? null,
      exportId: body.exportId ?? null,
      status: body.status ?? 'Pending',
      splits,
      active: true,
      createdOn: now,
      modifiedOn: now,
    };
    for (const { invoice, amountCents: cents } of resolved) {
      invoice.appliedCents += cents;
      invoice.modifiedOn = now;
      markPaid(invoice, payment.paidOn);
    }
    tenant.payments.set(payment.id, payment);
    return paymentResponse(tenant, payment);
  });

  api.get('/payments', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const invoiceIds = q.ids('appliedToInvoiceIds');
    const referenceNumber = q.string('appliedToReferenceNumber');
    const customerId = q.int('customerId');
    const statuses = q.enumList('statuses', PAYMENT_STATUSES);
    const activeState =
      q.enumValue('activeState', ['ActiveOnly', 'InactiveOnly', 'All'] as const) ?? 'ActiveOnly';
    const paidOnAfter = q.date('paidOnAfter');
    const paidOnBefore = q.date('paidOnBefore');
    const totalGreater = q.number('totalGreater');
    const totalLess = q.number('totalLess');
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.payments.values()].filter(
      (p) =>
        (!ids || ids.has(p.id)) &&
        (!invoiceIds || p.splits.some((s) => invoiceIds.has(s.invoiceId))) &&
        (referenceNumber === undefined ||
          p.splits.some((s) => tenant.invoices.get(s.invoiceId)?.referenceNumber === referenceNumber)) &&
        (customerId === undefined || p.customerId === customerId) &&
        (!statuses || statuses.has(p.status)) &&
        (activeState === 'All' || p.active === (activeState === 'ActiveOnly')) &&
        (paidOnAfter === undefined || Date.parse(p.paidOn) >= paidOnAfter) &&
        (paidOnBefore === undefined || Date.parse(p.paidOn) < paidOnBefore) &&
        (totalGreater === undefined || p.amountCents >= toCents(totalGreater)) &&
        (totalLess === undefined || p.amountCents <= toCents(totalLess)) &&
        inRange(p),
    );
    return paginate(sortItems(matches, q.string('sort'), COMMON_SORT), paging, (p) =>
      detailedPaymentResponse(tenant, p),
    );
  });
}
