import {
  type Address,
  type Contact,
  type Customer,
  emptyTenant,
  type Location,
  type PricebookItem,
  type TenantData,
} from './state.js';

// The seeded tenant: the configuration a contractor would have in ServiceTitan (business units, job
// types, campaigns, tag types, technicians, payment types, GL accounts, arrival windows, cancel
// reasons), a few existing customers to match orders against, and one existing pricebook SKU.
// Ids are stable so tests and the demo settings can name them; every extra tenant gets the same seed.

export const SANDBOX_TENANT = {
  tenantId: 1000001,
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  appKey: 'sandbox-app-key',
} as const;

export const SEED_IDS = {
  businessUnits: { hvac: 1, plumbing: 2, inactiveElectrical: 4 },
  jobTypes: { filterDelivery: 7, maintenanceVisit: 8, inactiveInstall: 9 },
  campaigns: { contractorCommerce: 3, googleAds: 5, inactiveYellowPages: 6 },
  tagTypes: {
    oneTimeProduct: 21,
    subscriptionProduct: 22,
    oneTimeService: 23,
    subscriptionService: 24,
    vip: 25,
    inactiveLegacy: 26,
  },
  technicians: { alex: 31, sam: 32, inactivePat: 33 },
  paymentTypes: { contractorCommerce: 12, creditCard: 13, check: 14, inactiveGiftCard: 15 },
  glAccounts: {
    revenue: 51,
    deferredRevenue: 52,
    cogsMaterial: 53,
    inventory: 54,
    intacctProductGroup: 55,
    undepositedFunds: 56,
    inactiveOldRevenue: 57,
  },
  arrivalWindows: { morning: 61, afternoon: 62 },
  jobCancelReasons: { canceledByIntegration: 71, customerRequest: 72, inactiveDuplicate: 73 },
  customers: {
    janeDoe: 101,
    /** Shares phone (737) 555-0199 with mariaGarcia: an ambiguous phone match. */
    robertSmith: 102,
    mariaGarcia: 103,
    /** Inactive, same phone as Jane Doe: hidden by the default `active=True` filter. */
    inactiveJaneDoeOld: 104,
    /** Phone only on the location's contacts. */
    leeNguyen: 105,
  },
  locations: { janeDoe: 201, robertSmith: 202, mariaGarcia: 203, inactiveJaneDoeOld: 204, leeNguyen: 205 },
  pricebook: { onlineStoreEquipment: 401, diagnosticService: 402, genericFilterMaterial: 403 },
} as const;

export const SEED_PHONES = {
  janeDoe: '5125550142',
  ambiguous: '7375550199',
  leeNguyen: '5125550177',
} as const;

/** When the seeded records were "created" in ServiceTitan. */
export const SEED_TIME = '2025-01-15T16:00:00Z';

const T = SEED_TIME;

function address(street: string, unit: string | null, city: string, state: string, zip: string): Address {
  return { street, unit, city, state, zip, country: 'USA', latitude: null, longitude: null };
}

function contact(id: number, type: Contact['type'], value: string): Contact {
  return { id, type, value, memo: null, createdOn: T, modifiedOn: T };
}

function customer(id: number, name: string, addr: Address, contacts: Contact[], active = true): Customer {
  return {
    id,
    active,
    name,
    type: 'Residential',
    address: addr,
    customFields: [],
    taxExempt: false,
    tagTypeIds: [],
    doNotMail: false,
    doNotService: false,
    nationalAccount: false,
    createdOn: T,
    createdById: 1,
    modifiedOn: T,
    mergedToId: null,
    paymentTermId: null,
    creditLimit: null,
    creditLimitBalance: null,
    externalData: {},
    contacts,
  };
}

function location(
  id: number,
  customerId: number,
  name: string,
  addr: Address,
  contacts: Contact[],
  active = true,
): Location {
  return {
    id,
    customerId,
    active,
    name,
    address: addr,
    customFields: [],
    createdOn: T,
    createdById: 1,
    modifiedOn: T,
    mergedToId: null,
    zoneId: null,
    taxZoneId: null,
    taxExempt: false,
    tagTypeIds: [],
    externalData: {},
    contacts,
  };
}

function pricebookItem(
  id: number,
  kind: PricebookItem['kind'],
  code: string,
  displayName: string,
  price: number,
  accounts: Pick<PricebookItem, 'account' | 'costOfSaleAccount' | 'assetAccount'>,
): PricebookItem {
  return {
    id,
    kind,
    code,
    displayName,
    description: displayName,
    price,
    memberPrice: price,
    addOnPrice: price,
    addOnMemberPrice: price,
    cost: 0,
    active: true,
    taxable: false,
    hours: 0,
    bonus: 0,
    commissionBonus: 0,
    paysCommission: false,
    unitOfMeasure: null,
    isInventory: false,
    ...accounts,
    intacctGlGroupAccount: null,
    categories: [],
    budgetCostCode: null,
    budgetCostType: null,
    externalData: {},
    extra: {},
    createdById: 1,
    createdOn: T,
    modifiedOn: T,
  };
}

function put<V extends { id: number }>(map: Map<number, V>, values: V[]): void {
  for (const v of values) map.set(v.id, v);
}

/** A fresh copy of the seed for `tenantId`. */
export function seedTenant(tenantId: number): TenantData {
  const t = emptyTenant(tenantId);
  const id = SEED_IDS;
  const stamp = { createdOn: T, modifiedOn: T };

  put(
    t.businessUnits,
    [
      {
        id: id.businessUnits.hvac,
        active: true,
        name: 'HVAC Service',
        officialName: 'Sandbox Heating & Air LLC',
      },
      {
        id: id.businessUnits.plumbing,
        active: true,
        name: 'Plumbing Service',
        officialName: 'Sandbox Plumbing LLC',
      },
      {
        id: id.businessUnits.inactiveElectrical,
        active: false,
        name: 'Electrical Service',
        officialName: 'Sandbox Electric LLC',
      },
    ].map((bu) => ({
      ...bu,
      email: null,
      phoneNumber: null,
      currency: 'USD',
      defaultTaxRate: 0,
      tagTypeIds: [],
      ...stamp,
    })),
  );

  const jobType = (jid: number, name: string, businessUnitIds: number[], active: boolean) => ({
    id: jid,
    name,
    businessUnitIds,
    skills: [],
    tagTypeIds: [],
    priority: 'Normal',
    duration: 3600,
    class: 'Service',
    summary: '',
    noCharge: false,
    invoiceSignaturesRequired: false,
    active,
    isSmartDispatched: false,
    ...stamp,
  });
  put(t.jobTypes, [
    jobType(id.jobTypes.filterDelivery, 'Filter Delivery', [id.businessUnits.hvac], true),
    jobType(
      id.jobTypes.maintenanceVisit,
      'Maintenance Visit',
      [id.businessUnits.hvac, id.businessUnits.plumbing],
      true,
    ),
    jobType(id.jobTypes.inactiveInstall, 'Legacy Install', [], false),
  ]);

  const campaign = (cid: number, name: string, active: boolean, source: string | null) => ({
    id: cid,
    name,
    active,
    isDefaultCampaign: false,
    category: { id: 1, name: 'Online', active: true },
    source,
    medium: null,
    businessUnit: null,
    campaignPhoneNumbers: [],
    ...stamp,
  });
  put(t.campaigns, [
    campaign(id.campaigns.contractorCommerce, 'Contractor Commerce', true, 'Online store'),
    campaign(id.campaigns.googleAds, 'Google Ads', true, 'Google'),
    campaign(id.campaigns.inactiveYellowPages, 'Yellow Pages', false, null),
  ]);

  const tagType = (tid: number, name: string, code: string, color: string, active = true) => ({
    id: tid,
    name,
    code,
    color,
    importance: null,
    isConversionOpportunity: false,
    allowToUseOnTimesheetActivity: false,
    isVisibleOnDispatchBoard: true,
    active,
    ...stamp,
  });
  put(t.tagTypes, [
    tagType(id.tagTypes.oneTimeProduct, 'CC One-Time Product', 'CC-OTP', '#1E88E5'),
    tagType(id.tagTypes.subscriptionProduct, 'CC Subscription Product', 'CC-SUBP', '#43A047'),
    tagType(id.tagTypes.oneTimeService, 'CC One-Time Service', 'CC-OTS', '#FB8C00'),
    tagType(id.tagTypes.subscriptionService, 'CC Subscription Service', 'CC-SUBS', '#8E24AA'),
    tagType(id.tagTypes.vip, 'VIP', 'VIP', '#E53935'),
    tagType(id.tagTypes.inactiveLegacy, 'Legacy Tag', 'LEGACY', '#757575', false),
  ]);

  put(
    t.technicians,
    [
      {
        id: id.technicians.alex,
        userId: 1031,
        name: 'Alex Rivera',
        businessUnitId: id.businessUnits.hvac,
        active: true,
      },
      {
        id: id.technicians.sam,
        userId: 1032,
        name: 'Sam Chen',
        businessUnitId: id.businessUnits.plumbing,
        active: true,
      },
      {
        id: id.technicians.inactivePat,
        userId: 1033,
        name: 'Pat Morgan',
        businessUnitId: null,
        active: false,
      },
    ].map((tech) => ({ ...tech, email: null, phoneNumber: null, ...stamp })),
  );

  put(
    t.paymentTypes,
    [
      {
        id: id.paymentTypes.contractorCommerce,
        name: 'Contractor Commerce',
        active: true,
        cashAttribute: true,
      },
      { id: id.paymentTypes.creditCard, name: 'Credit Card', active: true, cashAttribute: false },
      { id: id.paymentTypes.check, name: 'Check', active: true, cashAttribute: false },
      { id: id.paymentTypes.inactiveGiftCard, name: 'Gift Card', active: false, cashAttribute: false },
    ].map((p) => ({ ...p, ...stamp })),
  );

  const gl = (
    gid: number,
    name: string,
    number: string,
    type: string,
    defaultAccountType: string | null,
    extra: { active?: boolean; isIntacctGroup?: boolean } = {},
  ) => ({
    id: gid,
    name,
    number,
    description: null,
    type,
    subtype: null,
    active: extra.active ?? true,
    isIntacctGroup: extra.isIntacctGroup ?? false,
    isIntacctBankAccount: false,
    source: 'AccountingSystem' as const,
    defaultAccountType,
    ...stamp,
  });
  put(t.glAccounts, [
    gl(id.glAccounts.revenue, 'Revenue', '4000', 'Revenue', 'Revenue'),
    gl(id.glAccounts.deferredRevenue, 'Deferred Revenue', '2400', 'Liability', null),
    gl(
      id.glAccounts.cogsMaterial,
      'Cost of Goods Sold: Material',
      '5000',
      'Expense',
      'CostOfGoodsSoldMaterials',
    ),
    gl(id.glAccounts.inventory, 'Inventory', '1300', 'Asset', 'Inventory'),
    gl(id.glAccounts.intacctProductGroup, 'Intacct Product Sales', '4100', 'Revenue', null, {
      isIntacctGroup: true,
    }),
    gl(id.glAccounts.undepositedFunds, 'Undeposited Funds', '1200', 'Asset', 'UndepositedFunds'),
    gl(id.glAccounts.inactiveOldRevenue, 'Old Revenue', '4900', 'Revenue', null, { active: false }),
  ]);

  const both = [id.businessUnits.hvac, id.businessUnits.plumbing];
  put(t.arrivalWindows, [
    {
      id: id.arrivalWindows.morning,
      start: '08:00:00',
      duration: '04:00:00',
      businessUnitIds: both,
      active: true,
      ...stamp,
    },
    {
      id: id.arrivalWindows.afternoon,
      start: '12:00:00',
      duration: '04:00:00',
      businessUnitIds: both,
      active: true,
      ...stamp,
    },
  ]);

  put(t.jobCancelReasons, [
    {
      id: id.jobCancelReasons.canceledByIntegration,
      name: 'Canceled by integration',
      active: true,
      ...stamp,
    },
    { id: id.jobCancelReasons.customerRequest, name: 'Customer request', active: true, ...stamp },
    { id: id.jobCancelReasons.inactiveDuplicate, name: 'Duplicate job', active: false, ...stamp },
  ]);

  const c = id.customers;
  const l = id.locations;
  const jane = address('1200 Barton Springs Road', 'Unit 4', 'Austin', 'TX', '78704');
  const robert = address('48 Oak Hollow Dr', null, 'Round Rock', 'TX', '78664');
  const maria = address('915 W 6th St', 'Apt 210', 'Austin', 'TX', '78703');
  const oldJane = address('77 Rainey St', null, 'Austin', 'TX', '78701');
  const lee = address('2100 S Lamar Blvd', null, 'Austin', 'TX', '78704');
  put(t.customers, [
    customer(c.janeDoe, 'Jane Doe', jane, [
      contact(301, 'Phone', '512.555.0142'),
      contact(302, 'Email', 'jane.doe@example.com'),
    ]),
    customer(c.robertSmith, 'Robert Smith', robert, [contact(303, 'MobilePhone', '(737) 555-0199')]),
    customer(c.mariaGarcia, 'Maria Garcia', maria, [contact(304, 'Phone', '737-555-0199')]),
    customer(c.inactiveJaneDoeOld, 'Jane Doe', oldJane, [contact(305, 'Phone', '5125550142')], false),
    customer(c.leeNguyen, 'Lee Nguyen', lee, [contact(306, 'Email', 'lee.nguyen@example.com')]),
  ]);
  put(t.locations, [
    location(l.janeDoe, c.janeDoe, 'Jane Doe', jane, [contact(311, 'MobilePhone', '+1 (512) 555-0142')]),
    location(l.robertSmith, c.robertSmith, 'Robert Smith', robert, []),
    location(l.mariaGarcia, c.mariaGarcia, 'Maria Garcia', maria, []),
    location(l.inactiveJaneDoeOld, c.inactiveJaneDoeOld, 'Jane Doe', oldJane, [], false),
    location(l.leeNguyen, c.leeNguyen, 'Lee Nguyen', lee, [contact(312, 'Phone', '512 555 0177')]),
  ]);

  const accounts = {
    account: 'Revenue',
    costOfSaleAccount: 'Cost of Goods Sold: Material',
    assetAccount: 'Inventory',
  };
  put(t.pricebook, [
    pricebookItem(
      id.pricebook.onlineStoreEquipment,
      'equipment',
      'CC-ONLINE-STORE',
      'Online store sale',
      0,
      accounts,
    ),
    pricebookItem(id.pricebook.diagnosticService, 'service', 'SVC-DIAG', 'Diagnostic visit', 89, {
      account: 'Revenue',
      costOfSaleAccount: null,
      assetAccount: null,
    }),
    pricebookItem(
      id.pricebook.genericFilterMaterial,
      'material',
      'MAT-FILTER-GENERIC',
      'Generic air filter',
      19.99,
      accounts,
    ),
  ]);
  return t;
}
