import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import {
  type ActiveFilter,
  type ChangeRangeQuery,
  chunkIds,
  decimalInputSchema,
  idSchema,
  moneyStringSchema,
  namedRefSchema,
  openEnum,
  parseRequest,
} from './common.js';
import { repeated } from './http.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// accounting-v2.json: invoices, invoice items, payments, payment types, GL accounts.
// Money in accounting *responses* is decimal strings ("54.10"), kept as strings here; requests
// take JSON numbers, and accept decimal strings for convenience.

export const INVOICE_ITEM_TYPES = [
  'Service',
  'Material',
  'Equipment',
  'PriceModifier',
  'Unspecified',
] as const;
export type InvoiceItemType = (typeof INVOICE_ITEM_TYPES)[number];
export const transactionStatusSchema = z.enum(['Pending', 'Posted', 'Exported']);
export type TransactionStatus = z.infer<typeof transactionStatusSchema>;
export const invoiceReviewStatusSchema = z.enum([
  'NeedsReview',
  'OnHold',
  'Reviewed',
  'PendingApproval',
  'Rejected',
  'ReadyForBilling',
  'Invoiced',
]);
export type InvoiceReviewStatus = z.infer<typeof invoiceReviewStatusSchema>;

const money = moneyStringSchema.nullish();

export const glAccountRefSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  number: z.string().nullish(),
  type: z.string().nullish(),
  detailType: z.string().nullish(),
});

export const invoiceItemSchema = z.looseObject({
  id: idSchema,
  description: z.string().nullish(),
  /** Decimal string. */
  quantity: money,
  /** Unit price, decimal string. */
  price: money,
  /** quantity × price, decimal string. */
  total: money,
  cost: money,
  totalCost: money,
  memberPrice: money,
  /** Derived from the SKU (there is no `skuType`). */
  type: openEnum(INVOICE_ITEM_TYPES).nullish(),
  skuId: idSchema.nullish(),
  skuName: z.string().nullish(),
  displayName: z.string().nullish(),
  taxable: z.boolean().nullish(),
  order: z.number().nullish(),
  generalLedgerAccount: glAccountRefSchema.nullish(),
  technicianId: idSchema.nullish(),
  businessUnit: namedRefSchema.nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type InvoiceItem = z.infer<typeof invoiceItemSchema>;

export const invoiceSchema = z.looseObject({
  id: idSchema,
  referenceNumber: z.string().nullish(),
  invoiceDate: z.string().nullish(),
  dueDate: z.string().nullish(),
  subTotal: money,
  salesTax: money,
  total: money,
  /** What is still owed after payments, decimal string. */
  balance: money,
  discountTotal: money,
  salesTaxCode: z
    .looseObject({ id: idSchema, name: z.string().nullish(), taxRate: z.number().nullish() })
    .nullish(),
  taxZoneId: idSchema.nullish(),
  customer: namedRefSchema.nullish(),
  location: namedRefSchema.nullish(),
  businessUnit: namedRefSchema.nullish(),
  job: z.looseObject({ id: idSchema, number: z.string().nullish(), type: z.string().nullish() }).nullish(),
  adjustmentToId: idSchema.nullish(),
  syncStatus: z.string().nullish(),
  sentStatus: z.string().nullish(),
  reviewStatus: openEnum(invoiceReviewStatusSchema.options).nullish(),
  invoiceConfiguration: z.string().nullish(),
  summary: z.string().nullish(),
  exportId: z.string().nullish(),
  active: z.boolean().nullish(),
  paidOn: z.string().nullish(),
  items: z
    .array(invoiceItemSchema)
    .nullish()
    .transform((items) => items ?? []),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

/**
 * `PATCH /invoices/{invoiceId}/items`: ONE item per call. With `id` it updates that item; without,
 * it appends a new one — not idempotent, so check the invoice's items before retrying an append.
 * Appends need `skuId` or `skuName` (ServiceTitan answers 500 "Sku (Name:) is not found" otherwise),
 * and the price field is `unitPrice` (`price` is silently ignored).
 */
export const invoiceItemPatchSchema = z
  .object({
    id: idSchema.optional(),
    skuId: idSchema.optional(),
    skuName: z.string().min(1).optional(),
    /** HTML; required. */
    description: z.string(),
    quantity: decimalInputSchema,
    unitPrice: decimalInputSchema.optional(),
    cost: decimalInputSchema.optional(),
    technicianId: idSchema.optional(),
    isAddOn: z.boolean().optional(),
    installedOn: z.iso.datetime({ offset: true }).optional(),
    itemGroupName: z.string().optional(),
    itemGroupRootId: idSchema.optional(),
    skipUpdatingMembershipPrices: z.boolean().optional(),
    budgetCodeId: idSchema.optional(),
  })
  .refine((item) => item.id !== undefined || item.skuId !== undefined || item.skuName !== undefined, {
    message: 'a new invoice item needs skuId or skuName',
    path: ['skuId'],
  });
export type InvoiceItemPatch = z.input<typeof invoiceItemPatchSchema>;

/** `PATCH /invoices/{id}`: header fields only (items go through `patchItem`). Answers 200 with no body. */
export const invoiceUpdateSchema = z.object({
  number: z.string().optional(),
  invoicedOn: z.iso.datetime({ offset: true }).optional(),
  /** A date: `YYYY-MM-DD`. */
  dueDate: z.iso.date().optional(),
  /** HTML. */
  summary: z.string().optional(),
  reviewStatus: invoiceReviewStatusSchema.optional(),
  exportId: z.string().optional(),
  assignedToId: idSchema.optional(),
  taxZoneId: idSchema.optional(),
  subtotal: decimalInputSchema.optional(),
  tax: decimalInputSchema.optional(),
});
export type InvoiceUpdate = z.input<typeof invoiceUpdateSchema>;

export const paymentSplitSchema = z.looseObject({
  invoiceId: idSchema.nullish(),
  invoiceNumber: z.string().nullish(),
  amount: money,
});

/** What `POST /payments` answers. */
export const paymentSchema = z.looseObject({
  id: idSchema,
  /** Number here, string in the list's `DetailedPaymentResponse`: normalised to a string. */
  typeId: moneyStringSchema,
  active: z.boolean().nullish(),
  customerId: idSchema.nullish(),
  paidOn: z.string().nullish(),
  memo: z.string().nullish(),
  authCode: z.string().nullish(),
  checkNumber: z.string().nullish(),
  exportId: z.string().nullish(),
  status: openEnum(transactionStatusSchema.options).nullish(),
  transactionStatus: openEnum(['Success', 'Fail', 'Pending', 'Rejected']).nullish(),
  splits: z
    .array(paymentSplitSchema)
    .nullish()
    .transform((splits) => splits ?? []),
});
export type Payment = z.infer<typeof paymentSchema>;

/** One payment as listed (`DetailedPaymentResponse`). */
export const paymentDetailSchema = z.looseObject({
  id: idSchema,
  active: z.boolean(),
  /** Payment type *name*. */
  type: z.string().nullish(),
  /** Payment type id, as a string (sic, per the spec). */
  typeId: moneyStringSchema.nullish(),
  total: money,
  unappliedAmount: money,
  appliedTo: z
    .array(
      z.looseObject({
        appliedId: idSchema,
        /** The invoice id. */
        appliedTo: idSchema,
        appliedAmount: money,
        appliedOn: z.string().nullish(),
        appliedBy: z.string().nullish(),
        appliedToReferenceNumber: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((applied) => applied ?? []),
  customer: namedRefSchema.nullish(),
  businessUnit: namedRefSchema.nullish(),
  memo: z.string().nullish(),
  authCode: z.string().nullish(),
  checkNumber: z.string().nullish(),
  referenceNumber: z.string().nullish(),
  date: z.string().nullish(),
  syncStatus: z.string().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type PaymentDetail = z.infer<typeof paymentDetailSchema>;

/**
 * `POST /payments`. Splits apply the payment to invoices. There is no idempotency key and no filter
 * on `exportId`: before retrying, list the invoice's payments (`listByInvoices`) and compare.
 */
export const paymentCreateSchema = z.object({
  /** Payment type id. */
  typeId: idSchema,
  amount: decimalInputSchema.optional(),
  customerId: idSchema.optional(),
  paidOn: z.iso.datetime({ offset: true }).optional(),
  memo: z.string().optional(),
  authCode: z.string().optional(),
  checkNumber: z.string().optional(),
  /** Our reference; stored but not searchable. */
  exportId: z.string().optional(),
  status: transactionStatusSchema.optional(),
  splits: z.array(z.object({ invoiceId: idSchema, amount: decimalInputSchema })).min(1),
});
export type PaymentCreate = z.input<typeof paymentCreateSchema>;

export const paymentTypeSchema = z.looseObject({
  id: idSchema,
  name: z.string(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type PaymentType = z.infer<typeof paymentTypeSchema>;

export const glAccountSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  number: z.string().nullish(),
  description: z.string().nullish(),
  type: z.string().nullish(),
  subtype: z.string().nullish(),
  active: z.boolean(),
  isIntacctGroup: z.boolean().nullish(),
  isIntacctBankAccount: z.boolean().nullish(),
  source: z.string().nullish(),
  defaultAccountType: z.string().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type GlAccount = z.infer<typeof glAccountSchema>;

const invoicePageSchema = pageSchema(invoiceSchema);
const paymentDetailPageSchema = pageSchema(paymentDetailSchema);
const paymentTypePageSchema = pageSchema(paymentTypeSchema);
const glAccountPageSchema = pageSchema(glAccountSchema);

export type ActiveState = 'ActiveOnly' | 'InactiveOnly' | 'All';

export interface InvoiceListQuery extends PageQuery {
  /** At most 50. */
  ids?: readonly number[];
  jobId?: number;
  jobNumber?: string;
  customerId?: number;
  businessUnitId?: number;
  /** Reference number. */
  number?: string;
  adjustmentToId?: number;
  /** All statuses by default; sent as repeated parameters. */
  statuses?: readonly TransactionStatus[];
  activeState?: ActiveState;
  invoicedOnOrAfter?: string;
  invoicedOnBefore?: string;
  modifiedBefore?: string;
  modifiedOnOrAfter?: string;
  createdBefore?: string;
  createdOnOrAfter?: string;
  orderBy?: string;
  orderByDirection?: 'asc' | 'desc';
  sort?: string;
}

export interface PaymentListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  /** Payments applied to any of these invoices (at most 50). */
  appliedToInvoiceIds?: readonly number[];
  customerId?: number;
  activeState?: ActiveState;
  paidOnAfter?: string;
  paidOnBefore?: string;
  /** Comma-joined (this filter is a plain string in the spec). */
  statuses?: readonly TransactionStatus[];
  sort?: string;
}

export interface PaymentTypeListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  active?: ActiveFilter;
}

export interface GlAccountListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  names?: readonly string[];
  numbers?: readonly string[];
  types?: readonly string[];
  subtypes?: readonly string[];
  /** Substring of the description. */
  description?: string;
  source?: 'Undefined' | 'AccountingSystem' | 'ManuallyCreated' | 'PublicApi';
  active?: ActiveFilter;
  isIntacctGroup?: boolean;
  isIntacctBankAccount?: boolean;
  sort?: string;
}

export interface InvoicesApi extends PagedList<InvoiceListQuery, Invoice> {
  /**
   * One invoice, or `undefined`: ServiceTitan has no GET-by-id for invoices, so this lists with
   * `ids=`. A just-written invoice can be missing for a moment (read-after-write lag).
   */
  getById(id: number, options?: CallOptions): Promise<Invoice | undefined>;
  /** Invoices by id, any number of ids (50 per call). */
  listByIds(ids: readonly number[], options?: CallOptions): Promise<Invoice[]>;
  /** A job's invoices (the job invoice plus any adjustments). */
  listByJob(jobId: number, options?: CallOptions): Promise<Invoice[]>;
  /** Changes header fields; ServiceTitan answers with no body, so re-read if needed. */
  update(id: number, body: InvoiceUpdate, options?: CallOptions): Promise<void>;
  /**
   * Appends one item (no `id`; not idempotent) or updates one (with `id`). ServiceTitan answers
   * with no body: re-read the invoice for the new item's id and the recomputed totals.
   */
  patchItem(invoiceId: number, item: InvoiceItemPatch, options?: CallOptions): Promise<void>;
  deleteItem(invoiceId: number, itemId: number, options?: CallOptions): Promise<void>;
}

export interface PaymentsApi extends PagedList<PaymentListQuery, PaymentDetail> {
  /** Payments applied to any of these invoices (any number of ids; 50 per call), active or not. */
  listByInvoices(invoiceIds: readonly number[], options?: CallOptions): Promise<PaymentDetail[]>;
  /** Records a payment applied to invoices through `splits`. Not idempotent (see `paymentCreateSchema`). */
  create(body: PaymentCreate, options?: CallOptions): Promise<Payment>;
}

export interface PaymentTypesApi extends PagedList<PaymentTypeListQuery, PaymentType> {
  get(id: number, options?: CallOptions): Promise<PaymentType>;
}

export interface AccountingApi {
  invoices: InvoicesApi;
  payments: PaymentsApi;
  paymentTypes: PaymentTypesApi;
  glAccounts: PagedList<GlAccountListQuery, GlAccount>;
}

export function createAccountingApi({ http }: ApiContext): AccountingApi {
  const invoiceList = pagedList<InvoiceListQuery, Invoice>(
    'GET /accounting/v2/tenant/{tenant}/invoices',
    (query, options) => {
      // `statuses` is an array parameter in this spec (one `statuses=` per value), unlike most lists.
      const { statuses, ...rest } = query;
      return http.request(
        {
          method: 'GET',
          module: 'accounting',
          path: 'invoices',
          query: { ...asQuery(rest), statuses: statuses ? repeated(statuses) : undefined },
          subject: 'the invoice search',
          ...options,
        },
        invoicePageSchema,
      );
    },
  );

  const invoices: InvoicesApi = {
    ...invoiceList,

    async getById(id: number, options?: CallOptions): Promise<Invoice | undefined> {
      const page = await invoiceList.list({ ids: [id], activeState: 'All' }, options);
      return page.data.find((invoice) => invoice.id === id);
    },

    async listByIds(ids: readonly number[], options?: CallOptions): Promise<Invoice[]> {
      const result: Invoice[] = [];
      for (const chunk of chunkIds([...new Set(ids)])) {
        result.push(...(await invoiceList.listAll({ ids: chunk, activeState: 'All' }, options)));
      }
      return result;
    },

    async listByJob(jobId: number, options?: CallOptions): Promise<Invoice[]> {
      return invoiceList.listAll({ jobId, activeState: 'All' }, options);
    },

    async update(id: number, body: InvoiceUpdate, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'PATCH',
        module: 'accounting',
        path: 'invoices/{id}',
        pathParams: { id },
        body: parseRequest(invoiceUpdateSchema, body, 'PATCH /accounting/v2/tenant/{tenant}/invoices/{id}'),
        subject: `the changes to invoice ${id}`,
        ...options,
      });
    },

    async patchItem(invoiceId: number, item: InvoiceItemPatch, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'PATCH',
        module: 'accounting',
        path: 'invoices/{invoiceId}/items',
        pathParams: { invoiceId },
        body: parseRequest(
          invoiceItemPatchSchema,
          item,
          'PATCH /accounting/v2/tenant/{tenant}/invoices/{invoiceId}/items',
        ),
        subject:
          item.id === undefined
            ? `the new item on invoice ${invoiceId}`
            : `item ${item.id} on invoice ${invoiceId}`,
        ...options,
      });
    },

    async deleteItem(invoiceId: number, itemId: number, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'DELETE',
        module: 'accounting',
        path: 'invoices/{invoiceId}/items/{itemId}',
        pathParams: { invoiceId, itemId },
        subject: `item ${itemId} on invoice ${invoiceId}`,
        ...options,
      });
    },
  };

  const paymentList = pagedList<PaymentListQuery, PaymentDetail>(
    'GET /accounting/v2/tenant/{tenant}/payments',
    (query, options) =>
      http.request(
        {
          method: 'GET',
          module: 'accounting',
          path: 'payments',
          query: asQuery(query),
          subject: 'the payment search',
          ...options,
        },
        paymentDetailPageSchema,
      ),
  );

  const payments: PaymentsApi = {
    ...paymentList,

    async listByInvoices(invoiceIds: readonly number[], options?: CallOptions): Promise<PaymentDetail[]> {
      const result = new Map<number, PaymentDetail>();
      for (const chunk of chunkIds([...new Set(invoiceIds)])) {
        for (const payment of await paymentList.listAll(
          { appliedToInvoiceIds: chunk, activeState: 'All' },
          options,
        )) {
          result.set(payment.id, payment);
        }
      }
      return [...result.values()];
    },

    async create(body: PaymentCreate, options?: CallOptions): Promise<Payment> {
      return http.request(
        {
          method: 'POST',
          module: 'accounting',
          path: 'payments',
          body: parseRequest(paymentCreateSchema, body, 'POST /accounting/v2/tenant/{tenant}/payments'),
          subject: 'the payment',
          ...options,
        },
        paymentSchema,
      );
    },
  };

  const paymentTypes: PaymentTypesApi = {
    ...pagedList<PaymentTypeListQuery, PaymentType>(
      'GET /accounting/v2/tenant/{tenant}/payment-types',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'accounting',
            path: 'payment-types',
            query: asQuery(query),
            subject: 'the payment types',
            ...options,
          },
          paymentTypePageSchema,
        ),
    ),
    async get(id: number, options?: CallOptions): Promise<PaymentType> {
      return http.request(
        {
          method: 'GET',
          module: 'accounting',
          path: 'payment-types/{id}',
          pathParams: { id },
          subject: `payment type ${id}`,
          ...options,
        },
        paymentTypeSchema,
      );
    },
  };

  const glAccounts: PagedList<GlAccountListQuery, GlAccount> = pagedList<GlAccountListQuery, GlAccount>(
    'GET /accounting/v2/tenant/{tenant}/gl-accounts',
    (query, options) =>
      http.request(
        {
          method: 'GET',
          module: 'accounting',
          path: 'gl-accounts',
          query: asQuery(query),
          subject: 'the GL accounts',
          ...options,
        },
        glAccountPageSchema,
      ),
  );

  return { invoices, payments, paymentTypes, glAccounts };
}
