// The sandbox's in-memory model. Records keep ServiceTitan's field names where the API exposes them,
// plus what the sandbox needs to derive responses (externalData per application GUID, contacts,
// money in integer cents). Everything here is plain data so the whole state serialises to JSON.

export type ExternalDataItem = { key: string; value: string };
/** externalData per application GUID (lower-cased): ST shows a GUID's data only to callers naming it. */
export type ExternalDataStore = Record<string, ExternalDataItem[]>;

export type ContactType = 'Phone' | 'Email' | 'Fax' | 'MobilePhone';

export interface Address {
  street: string;
  unit: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
}

export interface Contact {
  id: number;
  type: ContactType;
  value: string;
  memo: string | null;
  createdOn: string;
  modifiedOn: string;
}

export interface CustomField {
  typeId: number;
  value: string;
}

export interface Customer {
  id: number;
  active: boolean;
  name: string;
  type: 'Residential' | 'Commercial';
  address: Address;
  customFields: CustomField[];
  taxExempt: boolean;
  tagTypeIds: number[];
  doNotMail: boolean;
  doNotService: boolean;
  nationalAccount: boolean;
  createdOn: string;
  createdById: number;
  modifiedOn: string;
  mergedToId: number | null;
  paymentTermId: number | null;
  creditLimit: number | null;
  creditLimitBalance: number | null;
  externalData: ExternalDataStore;
  contacts: Contact[];
}

export interface Location {
  id: number;
  customerId: number;
  active: boolean;
  name: string;
  address: Address;
  customFields: CustomField[];
  createdOn: string;
  createdById: number;
  modifiedOn: string;
  mergedToId: number | null;
  zoneId: number | null;
  taxZoneId: number | null;
  taxExempt: boolean;
  tagTypeIds: number[];
  externalData: ExternalDataStore;
  contacts: Contact[];
}

export interface BusinessUnit {
  id: number;
  active: boolean;
  name: string;
  officialName: string;
  email: string | null;
  phoneNumber: string | null;
  currency: string;
  defaultTaxRate: number;
  tagTypeIds: number[];
  createdOn: string;
  modifiedOn: string;
}

export interface JobType {
  id: number;
  name: string;
  businessUnitIds: number[];
  skills: string[];
  tagTypeIds: number[];
  priority: string;
  /** Seconds. */
  duration: number;
  class: string;
  summary: string;
  noCharge: boolean;
  invoiceSignaturesRequired: boolean;
  active: boolean;
  isSmartDispatched: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface Campaign {
  id: number;
  name: string;
  active: boolean;
  isDefaultCampaign: boolean;
  category: { id: number; name: string; active: boolean } | null;
  source: string | null;
  medium: string | null;
  /** ST returns the business unit's name here, not its id. */
  businessUnit: string | null;
  campaignPhoneNumbers: string[];
  createdOn: string;
  modifiedOn: string;
}

export interface TagType {
  id: number;
  name: string;
  color: string;
  code: string;
  importance: 'Medium' | 'High' | null;
  isConversionOpportunity: boolean;
  allowToUseOnTimesheetActivity: boolean;
  isVisibleOnDispatchBoard: boolean;
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface Technician {
  id: number;
  userId: number;
  name: string;
  businessUnitId: number | null;
  email: string | null;
  phoneNumber: string | null;
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface PaymentType {
  id: number;
  name: string;
  active: boolean;
  /** ST's UI has a "Cash" attribute that its API does not expose; the sandbox shows it as `cashAttribute`. */
  cashAttribute: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface GlAccount {
  id: number;
  name: string;
  number: string;
  description: string | null;
  type: string;
  subtype: string | null;
  active: boolean;
  isIntacctGroup: boolean;
  isIntacctBankAccount: boolean;
  source: 'Undefined' | 'AccountingSystem' | 'ManuallyCreated' | 'PublicApi';
  defaultAccountType: string | null;
  createdOn: string;
  modifiedOn: string;
}

export interface ArrivalWindow {
  id: number;
  /** .NET TimeSpan, e.g. "08:00:00". */
  start: string;
  /** Length of the window as a TimeSpan, e.g. "04:00:00". */
  duration: string;
  businessUnitIds: number[];
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface JobCancelReason {
  id: number;
  name: string;
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export type JobStatus = 'Scheduled' | 'Dispatched' | 'InProgress' | 'Hold' | 'Completed' | 'Canceled';

export interface Job {
  id: number;
  jobNumber: string;
  projectId: number | null;
  customerId: number;
  locationId: number;
  jobStatus: JobStatus;
  completedOn: string | null;
  businessUnitId: number;
  jobTypeId: number;
  priority: string;
  campaignId: number;
  appointmentIds: number[];
  jobGeneratedLeadSource: { jobId: number | null; employeeId: number | null } | null;
  summary: string | null;
  customerPo: string | null;
  soldById: number | null;
  bookingId: number | null;
  leadId: number | null;
  partnerLeadCallId: number | null;
  invoiceSignatureIsRequired: boolean;
  tagTypeIds: number[];
  customFields: { typeId: number; value: string | null }[];
  externalData: ExternalDataStore;
  invoiceId: number;
  cancellation: { reasonId: number; memo: string; canceledOn: string } | null;
  createdOn: string;
  createdById: number;
  modifiedOn: string;
}

export type AppointmentStatus = 'Scheduled' | 'Dispatched' | 'Working' | 'Hold' | 'Done' | 'Canceled';

export interface Appointment {
  id: number;
  jobId: number;
  customerId: number;
  appointmentNumber: string;
  start: string;
  end: string;
  arrivalWindowStart: string | null;
  arrivalWindowEnd: string | null;
  status: AppointmentStatus;
  specialInstructions: string | null;
  unused: boolean;
  isConfirmed: boolean;
  active: boolean;
  createdById: number;
  createdOn: string;
  modifiedOn: string;
}

export interface AppointmentAssignment {
  id: number;
  technicianId: number;
  appointmentId: number;
  jobId: number;
  assignedById: number;
  assignedOn: string;
  status: 'Scheduled' | 'Dispatched' | 'Working' | 'Done';
  isPaused: boolean;
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export type PricebookKind = 'material' | 'equipment' | 'service';

export interface PricebookItem {
  id: number;
  kind: PricebookKind;
  code: string;
  displayName: string | null;
  description: string;
  price: number;
  memberPrice: number;
  addOnPrice: number;
  addOnMemberPrice: number;
  cost: number;
  active: boolean;
  taxable: boolean;
  hours: number;
  bonus: number;
  commissionBonus: number;
  paysCommission: boolean;
  unitOfMeasure: string | null;
  isInventory: boolean;
  /** GL account names exactly as the caller sent them. */
  account: string | null;
  costOfSaleAccount: string | null;
  assetAccount: string | null;
  intacctGlGroupAccount: string | null;
  categories: number[];
  budgetCostCode: string | null;
  budgetCostType: string | null;
  externalData: ExternalDataStore;
  /** Kind-specific fields as sent (manufacturer, warranties, linked SKUs, …), echoed back on read. */
  extra: Record<string, unknown>;
  createdById: number;
  createdOn: string;
  modifiedOn: string;
}

export type InvoiceItemType = 'Material' | 'Equipment' | 'Service';

export interface InvoiceItem {
  id: number;
  order: number;
  skuId: number;
  skuName: string;
  displayName: string | null;
  type: InvoiceItemType;
  description: string;
  quantity: number;
  priceCents: number;
  costCents: number;
  memberPriceCents: number;
  taxable: boolean;
  inventory: boolean;
  account: string | null;
  costOfSaleAccount: string | null;
  assetAccount: string | null;
  technicianId: number | null;
  addOn: boolean;
  soldHours: number | null;
  createdOn: string;
  modifiedOn: string;
}

export interface Invoice {
  id: number;
  jobId: number;
  customerId: number;
  locationId: number;
  businessUnitId: number;
  referenceNumber: string;
  invoiceDate: string;
  dueDate: string | null;
  syncStatus: 'Pending' | 'Posted' | 'Exported';
  summary: string | null;
  items: InvoiceItem[];
  /** Set by PATCH `subtotal`; cleared when items change (the items then decide the subtotal). */
  subTotalOverrideCents: number | null;
  salesTaxCents: number;
  /** Sum of payment splits applied to this invoice. */
  appliedCents: number;
  reviewStatus: string;
  sentStatus: 'NotSent' | 'Sent' | 'Opened';
  exportId: string | null;
  paidOn: string | null;
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface PaymentSplit {
  /** Id of the application of this split (ST's `appliedId`). */
  id: number;
  invoiceId: number;
  amountCents: number;
}

export interface Payment {
  id: number;
  typeId: number;
  amountCents: number;
  customerId: number | null;
  memo: string | null;
  paidOn: string;
  authCode: string | null;
  checkNumber: string | null;
  exportId: string | null;
  status: 'Pending' | 'Posted' | 'Exported';
  splits: PaymentSplit[];
  active: boolean;
  createdOn: string;
  modifiedOn: string;
}

export interface TenantData {
  tenantId: number;
  customers: Map<number, Customer>;
  locations: Map<number, Location>;
  businessUnits: Map<number, BusinessUnit>;
  jobTypes: Map<number, JobType>;
  campaigns: Map<number, Campaign>;
  tagTypes: Map<number, TagType>;
  technicians: Map<number, Technician>;
  paymentTypes: Map<number, PaymentType>;
  glAccounts: Map<number, GlAccount>;
  arrivalWindows: Map<number, ArrivalWindow>;
  jobCancelReasons: Map<number, JobCancelReason>;
  jobs: Map<number, Job>;
  appointments: Map<number, Appointment>;
  assignments: Map<number, AppointmentAssignment>;
  pricebook: Map<number, PricebookItem>;
  invoices: Map<number, Invoice>;
  payments: Map<number, Payment>;
}

export type CollectionName = Exclude<keyof TenantData, 'tenantId'>;

export const COLLECTIONS: readonly CollectionName[] = [
  'customers',
  'locations',
  'businessUnits',
  'jobTypes',
  'campaigns',
  'tagTypes',
  'technicians',
  'paymentTypes',
  'glAccounts',
  'arrivalWindows',
  'jobCancelReasons',
  'jobs',
  'appointments',
  'assignments',
  'pricebook',
  'invoices',
  'payments',
];

/** A tenant the token endpoint knows: ST issues client id/secret per tenant; the app key is per app. */
export interface TenantRegistration {
  tenantId: number;
  clientId: string;
  clientSecret: string;
  appKey: string;
}

export interface IssuedToken {
  tenantId: number;
  clientId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SandboxState {
  /** Next id for anything created through the API; one counter for all tenants and types. */
  nextId: number;
  registrations: Map<number, TenantRegistration>;
  tenants: Map<number, TenantData>;
  tokens: Map<string, IssuedToken>;
}

/** First id handed out for records created through the API; seed ids stay far below it. */
export const FIRST_CREATED_ID = 5_000_000;

export function emptyTenant(tenantId: number): TenantData {
  return {
    tenantId,
    customers: new Map(),
    locations: new Map(),
    businessUnits: new Map(),
    jobTypes: new Map(),
    campaigns: new Map(),
    tagTypes: new Map(),
    technicians: new Map(),
    paymentTypes: new Map(),
    glAccounts: new Map(),
    arrivalWindows: new Map(),
    jobCancelReasons: new Map(),
    jobs: new Map(),
    appointments: new Map(),
    assignments: new Map(),
    pricebook: new Map(),
    invoices: new Map(),
    payments: new Map(),
  };
}

export function allocateId(state: SandboxState): number {
  const id = state.nextId;
  state.nextId += 1;
  return id;
}

/** ST-style UTC timestamp without milliseconds when they are zero. */
export function isoNow(date: Date = new Date()): string {
  return date.toISOString().replace('.000Z', 'Z');
}

// --- JSON form -------------------------------------------------------------------------------

export interface SerializedState {
  version: 1;
  nextId: number;
  registrations: TenantRegistration[];
  tokens: Array<[string, IssuedToken]>;
  tenants: Array<{ tenantId: number } & Partial<Record<CollectionName, unknown[]>>>;
}

export function serializeTenant(tenant: TenantData): SerializedState['tenants'][number] {
  const out: SerializedState['tenants'][number] = { tenantId: tenant.tenantId };
  for (const name of COLLECTIONS) out[name] = [...tenant[name].values()];
  return out;
}

export function serializeState(state: SandboxState): SerializedState {
  return {
    version: 1,
    nextId: state.nextId,
    registrations: [...state.registrations.values()],
    tokens: [...state.tokens.entries()],
    tenants: [...state.tenants.values()].map(serializeTenant),
  };
}

export function deserializeState(json: SerializedState): SandboxState {
  if (json.version !== 1) throw new Error(`Unsupported sandbox state version ${String(json.version)}`);
  const tenants = new Map<number, TenantData>();
  for (const t of json.tenants) {
    const tenant = emptyTenant(t.tenantId);
    for (const name of COLLECTIONS) {
      const map = tenant[name] as Map<number, { id: number }>;
      for (const record of (t[name] ?? []) as { id: number }[]) map.set(record.id, record);
    }
    tenants.set(t.tenantId, tenant);
  }
  return {
    nextId: json.nextId,
    registrations: new Map(json.registrations.map((r) => [r.tenantId, r])),
    tokens: new Map(json.tokens),
    tenants,
  };
}
