import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiRouter, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { ApiError, badRequest, notFound } from './errors.js';
import { balanceCents, itemTotalCents, subTotalCents, totalCents } from './invoice-math.js';
import { formatCents, formatQuantity, toCents } from './money.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, dateRangeFilter, sortItems } from './query.js';
import { type Invoice, type InvoiceItem, isoNow, type PricebookItem, type TenantData } from './state.js';
import { isoDateTime, parseBody } from './validation.js';

// Invoices exist because jobs create them (Pending). Items are added one per PATCH
// /invoices/{id}/items; the item's type comes from its SKU; totals are recomputed from items and tax.

const REVIEW_STATUSES = [
  'NeedsReview',
  'OnHold',
  'Reviewed',
  'PendingApproval',
  'Rejected',
  'ReadyForBilling',
  'Invoiced',
] as const;
const TRANSACTION_STATUSES = ['Pending', 'Posted', 'Exported'] as const;

const itemSchema = z.object({
  id: z.number().int().nullish(),
  skuId: z.number().int().nullish(),
  skuName: z.string().nullish(),
  technicianId: z.number().int().nullish(),
  description: z.string(),
  quantity: z.number().finite(),
  unitPrice: z.number().finite().nullish(),
  cost: z.number().finite().nullish(),
  isAddOn: z.boolean().nullish(),
});

const invoiceUpdateSchema = z.object({
  number: z.string().nullish(),
  invoicedOn: isoDateTime.nullish(),
  subtotal: z.number().finite().nullish(),
  tax: z.number().finite().nullish(),
  summary: z.string().nullish(),
  exportId: z.string().nullish(),
  reviewStatus: z.enum(REVIEW_STATUSES).nullish(),
  dueDate: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'Expected a date.')
    .nullish(),
  items: z.array(itemSchema).nullish(),
});

type ItemRequest = z.infer<typeof itemSchema>;

function glAccount(tenant: TenantData, name: string | null) {
  if (name === null) return null;
  const lower = name.toLowerCase();
  for (const gl of tenant.glAccounts.values()) {
    if (gl.name.toLowerCase() === lower)
      return { id: gl.id, name: gl.name, number: gl.number, type: gl.type, detailType: gl.subtype };
  }
  return null;
}

function itemResponse(tenant: TenantData, invoice: Invoice, item: InvoiceItem) {
  const bu = tenant.businessUnits.get(invoice.businessUnitId);
  return {
    id: item.id,
    description: item.description,
    quantity: formatQuantity(item.quantity),
    cost: formatCents(item.costCents),
    totalCost: formatCents(Math.round(item.quantity * item.costCents)),
    budgetCodeId: null,
    inventoryLocationId: null,
    inventoryLocation: null,
    price: formatCents(item.priceCents),
    type: item.type,
    skuName: item.skuName,
    skuId: item.skuId,
    total: formatCents(itemTotalCents(item)),
    inventory: item.inventory,
    taxable: item.taxable,
    isChargeable: true,
    generalLedgerAccount: glAccount(tenant, item.account),
    costOfSaleAccount: glAccount(tenant, item.costOfSaleAccount),
    assetAccount: glAccount(tenant, item.assetAccount),
    membershipTypeId: 0,
    itemGroup: null,
    displayName: item.displayName,
    soldHours: item.soldHours,
    createdOn: item.createdOn,
    modifiedOn: item.modifiedOn,
    serviceDate: null,
    order: item.order,
    businessUnit: bu ? { id: bu.id, name: bu.name } : null,
    createdById: 1,
    displayInAmount: true,
    importId: null,
    exportId: null,
    inventoryStatus: null,
    addOn: item.addOn,
    memberPrice: formatCents(item.memberPriceCents),
    technicianId: item.technicianId,
    installedEquipmentId: null,
    estimateItemId: null,
  };
}

function addressOf(
  a:
    | { street: string; unit: string | null; city: string; state: string; zip: string; country: string }
    | undefined,
) {
  if (!a) return null;
  return { street: a.street, unit: a.unit, city: a.city, state: a.state, zip: a.zip, country: a.country };
}

export function invoiceResponse(tenant: TenantData, invoice: Invoice) {
  const customer = tenant.customers.get(invoice.customerId);
  const location = tenant.locations.get(invoice.locationId);
  const bu = tenant.businessUnits.get(invoice.businessUnitId);
  const job = tenant.jobs.get(invoice.jobId);
  return {
    id: invoice.id,
    syncStatus: invoice.syncStatus,
    budgetCodeId: null,
    referenceNumber: invoice.referenceNumber,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    subTotal: formatCents(subTotalCents(invoice)),
    salesTax: formatCents(invoice.salesTaxCents),
    salesTaxCode: null,
    taxZoneId: null,
    total: formatCents(totalCents(invoice)),
    balance: formatCents(balanceCents(invoice)),
    invoiceType: null,
    customer: { id: invoice.customerId, name: customer?.name ?? null },
    customerAddress: addressOf(customer?.address),
    location: { id: invoice.locationId, name: location?.name ?? null },
    locationAddress: addressOf(location?.address),
    businessUnit: { id: invoice.businessUnitId, name: bu?.name ?? null },
    termName: null,
    createdBy: 'Sandbox API',
    batch: null,
    depositedOn: null,
    createdOn: invoice.createdOn,
    modifiedOn: invoice.modifiedOn,
    adjustmentToId: null,
    job: {
      id: invoice.jobId,
      number: job?.jobNumber ?? null,
      type: job ? (tenant.jobTypes.get(job.jobTypeId)?.name ?? null) : null,
    },
    projectId: null,
    royalty: null,
    employeeInfo: null,
    commissionEligibilityDate: null,
    sentStatus: invoice.sentStatus,
    reviewStatus: invoice.reviewStatus,
    assignedTo: null,
    summary: invoice.summary,
    items: invoice.items.map((item) => itemResponse(tenant, invoice, item)),
    customFields: [],
    active: invoice.active,
    discountTotal: '0.00',
    importId: null,
    exportId: invoice.exportId,
    materialSkuId: null,
    membershipId: null,
    paidOn: invoice.paidOn,
    invoiceConfiguration: 'JobInvoice',
  };
}

function findInvoice(tenant: TenantData, id: number): Invoice {
  const invoice = tenant.invoices.get(id);
  if (!invoice) throw notFound(`Invoice with id ${id} was not found.`, 'id');
  return invoice;
}

function assertEditable(invoice: Invoice): void {
  if (invoice.syncStatus !== 'Pending') {
    throw badRequest(
      'id',
      `Invoice ${invoice.id} is ${invoice.syncStatus.toLowerCase()} and can no longer be changed.`,
    );
  }
}

/** The SKU an item names: by id in any pricebook, or by code (ST's `skuName`). */
function resolveSku(tenant: TenantData, request: ItemRequest, field: string): PricebookItem {
  if (request.skuId != null) {
    const sku = tenant.pricebook.get(request.skuId);
    if (!sku)
      throw badRequest(`${field}skuId`, `Sku with id ${request.skuId} was not found in the pricebook.`);
    return sku;
  }
  const name = request.skuName ?? '';
  const lower = name.toLowerCase();
  const sku =
    name === '' ? undefined : [...tenant.pricebook.values()].find((s) => s.code.toLowerCase() === lower);
  // Real ST answers 500 with this text when an appended item names no SKU or an unknown one.
  if (!sku) throw new ApiError(500, `Sku (Name:${name}) is not found.`);
  return sku;
}

const ITEM_TYPES = { material: 'Material', equipment: 'Equipment', service: 'Service' } as const;

function applySku(item: InvoiceItem, sku: PricebookItem): void {
  item.skuId = sku.id;
  item.skuName = sku.code;
  item.displayName = sku.displayName;
  item.type = ITEM_TYPES[sku.kind];
  item.taxable = sku.taxable;
  item.inventory = sku.isInventory;
  item.account = sku.account;
  item.costOfSaleAccount = sku.costOfSaleAccount;
  item.assetAccount = sku.assetAccount;
  item.memberPriceCents = toCents(sku.memberPrice);
  item.soldHours = sku.hours;
}

/** Appends or updates one item on `invoice` (mutates it). `field` prefixes error field names. */
function applyItem(
  ctx: SandboxContext,
  tenant: TenantData,
  invoice: Invoice,
  request: ItemRequest,
  ignoreUnitPrice: boolean,
  field = '',
): void {
  if (request.technicianId != null && !tenant.technicians.has(request.technicianId)) {
    throw badRequest(`${field}technicianId`, `Technician with id ${request.technicianId} was not found.`);
  }
  const now = ctx.now();
  if (request.id != null) {
    const item = invoice.items.find((i) => i.id === request.id);
    if (!item)
      throw notFound(
        `Invoice item with id ${request.id} was not found on invoice ${invoice.id}.`,
        `${field}id`,
      );
    if (request.skuId != null || (request.skuName != null && request.skuName !== '')) {
      const sku = resolveSku(tenant, request, field);
      if (sku.id !== item.skuId) applySku(item, sku);
    }
    item.description = request.description;
    item.quantity = request.quantity;
    if (request.unitPrice != null) item.priceCents = toCents(request.unitPrice);
    if (request.cost != null) item.costCents = toCents(request.cost);
    if (request.technicianId !== undefined) item.technicianId = request.technicianId ?? null;
    if (request.isAddOn != null) item.addOn = request.isAddOn;
    item.modifiedOn = now;
  } else {
    const sku = resolveSku(tenant, request, field);
    if (!sku.active) throw badRequest(`${field}skuId`, `Sku ${sku.code} (${sku.id}) is inactive.`);
    const item: InvoiceItem = {
      id: ctx.nextId(),
      order: invoice.items.reduce((max, i) => Math.max(max, i.order), 0) + 1,
      skuId: sku.id,
      skuName: sku.code,
      displayName: sku.displayName,
      type: ITEM_TYPES[sku.kind],
      description: request.description,
      quantity: request.quantity,
      // The ignore-unit-price fault reproduces ST's dynamic-pricing trap: appended items land at $0.
      priceCents: ignoreUnitPrice ? 0 : toCents(request.unitPrice ?? sku.price),
      costCents: toCents(request.cost ?? sku.cost),
      memberPriceCents: toCents(sku.memberPrice),
      taxable: sku.taxable,
      inventory: sku.isInventory,
      account: sku.account,
      costOfSaleAccount: sku.costOfSaleAccount,
      assetAccount: sku.assetAccount,
      technicianId: request.technicianId ?? null,
      addOn: request.isAddOn ?? false,
      soldHours: sku.hours,
      createdOn: now,
      modifiedOn: now,
    };
    invoice.items.push(item);
  }
  // Items decide the subtotal again once they change.
  invoice.subTotalOverrideCents = null;
}

/** `paidOn` is set once a non-zero invoice is fully paid and cleared if it stops being so. */
export function markPaid(invoice: Invoice, at: string): void {
  invoice.paidOn = totalCents(invoice) > 0 && balanceCents(invoice) <= 0 ? (invoice.paidOn ?? at) : null;
}

function ignoreUnitPrice(req: FastifyRequest): boolean {
  return req.sandbox.ignoreUnitPrice;
}

export function registerInvoiceRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const api = apiRouter(app, 'accounting');

  api.get('/invoices', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const jobId = q.int('jobId');
    const jobNumber = q.string('jobNumber');
    const customerId = q.int('customerId');
    const businessUnitId = q.int('businessUnitId');
    const number = q.string('number');
    const statuses = q.enumList('statuses', TRANSACTION_STATUSES);
    const activeState =
      q.enumValue('activeState', ['ActiveOnly', 'InactiveOnly', 'All'] as const) ?? 'ActiveOnly';
    const totalGreater = q.number('totalGreater');
    const totalLess = q.number('totalLess');
    const invoicedOnOrAfter = q.date('invoicedOnOrAfter');
    const invoicedOnBefore = q.date('invoicedOnBefore');
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.invoices.values()].filter(
      (inv) =>
        (!ids || ids.has(inv.id)) &&
        (jobId === undefined || inv.jobId === jobId) &&
        (jobNumber === undefined || tenant.jobs.get(inv.jobId)?.jobNumber === jobNumber) &&
        (customerId === undefined || inv.customerId === customerId) &&
        (businessUnitId === undefined || inv.businessUnitId === businessUnitId) &&
        (number === undefined || inv.referenceNumber === number) &&
        (!statuses || statuses.has(inv.syncStatus)) &&
        (activeState === 'All' || inv.active === (activeState === 'ActiveOnly')) &&
        (totalGreater === undefined || totalCents(inv) >= toCents(totalGreater)) &&
        (totalLess === undefined || totalCents(inv) <= toCents(totalLess)) &&
        (invoicedOnOrAfter === undefined || Date.parse(inv.invoiceDate) >= invoicedOnOrAfter) &&
        (invoicedOnBefore === undefined || Date.parse(inv.invoiceDate) < invoicedOnBefore) &&
        inRange(inv),
    );
    return paginate(sortItems(matches, q.string('sort'), COMMON_SORT), paging, (inv) =>
      invoiceResponse(tenant, inv),
    );
  });

  api.patch('/invoices/{id}', (req, reply) => {
    const tenant = tenantOf(req);
    const current = findInvoice(tenant, pathId(req));
    const body = parseBody(invoiceUpdateSchema, req.body);
    assertEditable(current);
    // Work on a copy so a bad item leaves the invoice untouched, as one ST transaction would.
    const invoice = structuredClone(current);
    (body.items ?? []).forEach((item, i) => {
      applyItem(ctx, tenant, invoice, item, ignoreUnitPrice(req), `items[${i}].`);
    });
    if (body.subtotal != null) invoice.subTotalOverrideCents = toCents(body.subtotal);
    if (body.tax != null) invoice.salesTaxCents = toCents(body.tax);
    if (body.number != null) invoice.referenceNumber = body.number;
    if (body.invoicedOn != null) invoice.invoiceDate = isoNow(new Date(body.invoicedOn));
    if (body.dueDate != null) invoice.dueDate = isoNow(new Date(body.dueDate));
    if (body.summary !== undefined) invoice.summary = body.summary;
    if (body.exportId !== undefined) invoice.exportId = body.exportId;
    if (body.reviewStatus != null) invoice.reviewStatus = body.reviewStatus;
    invoice.modifiedOn = ctx.now();
    markPaid(invoice, invoice.modifiedOn);
    tenant.invoices.set(invoice.id, invoice);
    return reply.code(200).send();
  });

  api.patch('/invoices/{invoiceId}/items', (req, reply) => {
    const tenant = tenantOf(req);
    const invoice = findInvoice(tenant, pathId(req, 'invoiceId'));
    const body = parseBody(itemSchema, req.body);
    assertEditable(invoice);
    applyItem(ctx, tenant, invoice, body, ignoreUnitPrice(req));
    invoice.modifiedOn = ctx.now();
    markPaid(invoice, invoice.modifiedOn);
    return reply.code(200).send();
  });

  api.delete('/invoices/{invoiceId}/items/{itemId}', (req, reply) => {
    const tenant = tenantOf(req);
    const invoice = findInvoice(tenant, pathId(req, 'invoiceId'));
    const itemId = pathId(req, 'itemId');
    assertEditable(invoice);
    const index = invoice.items.findIndex((i) => i.id === itemId);
    if (index < 0)
      throw notFound(`Invoice item with id ${itemId} was not found on invoice ${invoice.id}.`, 'itemId');
    invoice.items.splice(index, 1);
    invoice.subTotalOverrideCents = null;
    invoice.modifiedOn = ctx.now();
    markPaid(invoice, invoice.modifiedOn);
    return reply.code(200).send();
  });
}
