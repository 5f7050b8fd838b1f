import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import {
  addressResponse,
  addressSchema,
  addTag,
  checkTagTypes,
  contactResponse,
  contactWithDatesResponse,
  copyContactsToCustomer,
  createdLocationResponse,
  customFieldSchema,
  customFieldsResponse,
  newContactSchema,
  phoneKey,
  phoneMatches,
  removeTag,
  toAddress,
  toContacts,
  toCustomFields,
} from './crm-common.js';
import {
  applyExternalDataUpdate,
  createExternalData,
  externalDataCreateSchema,
  externalDataUpdateSchema,
  matchesExternalData,
  readExternalData,
  readExternalDataFilter,
  readGuidParam,
} from './external-data.js';
import { customerBalances } from './invoice-math.js';
import { centsToNumber } from './money.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, containsCi, dateRangeFilter, sortItems } from './query.js';
import type { Customer, Location, TenantData } from './state.js';
import { parseBody } from './validation.js';

// CRM customers: list/search (by phone across formats, name, address, externalData), get, create with
// nested locations and contacts in one call, patch, contacts, tags.

const newLocationSchema = z.object({
  name: z.string().min(1),
  address: addressSchema,
  contacts: z.array(newContactSchema).nullish(),
  customFields: z.array(customFieldSchema).nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  externalData: externalDataCreateSchema.nullish(),
});

const createCustomerSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['Residential', 'Commercial']).nullish(),
  doNotMail: z.boolean().nullish(),
  doNotService: z.boolean().nullish(),
  nationalAccount: z.boolean().nullish(),
  locations: z.array(newLocationSchema).min(1, 'At least one location is required.'),
  address: addressSchema,
  contacts: z.array(newContactSchema).nullish(),
  customFields: z.array(customFieldSchema).nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  externalData: externalDataCreateSchema.nullish(),
  taxExempt: z.boolean().nullish(),
  paymentTermId: z.number().int().nullish(),
  creditLimit: z.number().nullish(),
  creditLimitBalance: z.number().nullish(),
});

const updateCustomerSchema = z.object({
  name: z.string().min(1).nullish(),
  type: z.enum(['Residential', 'Commercial']).nullish(),
  address: addressSchema.nullish(),
  customFields: z.array(customFieldSchema).nullish(),
  externalData: externalDataUpdateSchema.nullish(),
  doNotMail: z.boolean().nullish(),
  doNotService: z.boolean().nullish(),
  nationalAccount: z.boolean().nullish(),
  active: z.boolean().nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  taxExempt: z.boolean().nullish(),
  paymentTermId: z.number().int().nullish(),
  creditLimit: z.number().nullish(),
  creditLimitBalance: z.number().nullish(),
});

export function customerResponse(c: Customer, guid: string | undefined, balanceCents: number) {
  return {
    id: c.id,
    active: c.active,
    name: c.name,
    type: c.type,
    address: addressResponse(c.address),
    customFields: customFieldsResponse(c.customFields),
    balance: centsToNumber(balanceCents),
    taxExempt: c.taxExempt,
    tagTypeIds: [...c.tagTypeIds],
    doNotMail: c.doNotMail,
    doNotService: c.doNotService,
    nationalAccount: c.nationalAccount,
    createdOn: c.createdOn,
    createdById: c.createdById,
    modifiedOn: c.modifiedOn,
    mergedToId: c.mergedToId,
    paymentTermId: c.paymentTermId,
    creditLimit: c.creditLimit,
    creditLimitBalance: c.creditLimitBalance,
    externalData: readExternalData(c.externalData, guid),
  };
}

/** Customers with a location whose contacts match the phone. */
function customersByLocationPhone(tenant: TenantData, phone: string): Set<number> {
  const ids = new Set<number>();
  for (const l of tenant.locations.values()) {
    if (l.contacts.length > 0 && phoneMatches(l.contacts, phone)) ids.add(l.customerId);
  }
  return ids;
}

export function registerCustomerRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const api = apiRouter(app, 'crm');

  api.get('/customers', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const guid = readGuidParam(q);
    const ids = q.ids('ids');
    const name = q.string('name');
    const street = q.string('street');
    const unit = q.string('unit');
    const city = q.string('city');
    const state = q.string('state');
    const zip = q.string('zip');
    const country = q.string('country');
    const phoneRaw = q.string('phone');
    const phone = phoneRaw === undefined ? undefined : phoneKey(phoneRaw);
    const active = q.active();
    const external = readExternalDataFilter(q);
    const inRange = dateRangeFilter(q);
    // Phone matches contacts of the customer and of its locations.
    const viaLocation = phone === undefined ? undefined : customersByLocationPhone(tenant, phone);
    const matches = [...tenant.customers.values()].filter(
      (c) =>
        (!ids || ids.has(c.id)) &&
        active(c.active) &&
        containsCi(c.name, name) &&
        containsCi(c.address.street, street) &&
        containsCi(c.address.unit, unit) &&
        containsCi(c.address.city, city) &&
        containsCi(c.address.state, state) &&
        containsCi(c.address.zip, zip) &&
        containsCi(c.address.country, country) &&
        (phone === undefined || phoneMatches(c.contacts, phone) || viaLocation?.has(c.id) === true) &&
        matchesExternalData(c.externalData, external) &&
        inRange(c),
    );
    const page = paginate(sortItems(matches, q.string('sort'), COMMON_SORT), paging, (c) => c);
    const balances = customerBalances(
      tenant,
      page.data.map((c) => c.id),
    );
    return { ...page, data: page.data.map((c) => customerResponse(c, guid, balances.get(c.id) ?? 0)) };
  });

  api.get('/customers/{id}', (req) => {
    const tenant = tenantOf(req);
    const customer = found(tenant.customers, pathId(req), 'Customer');
    return customerResponse(
      customer,
      readGuidParam(queryOf(req)),
      customerBalances(tenant, [customer.id]).get(customer.id) ?? 0,
    );
  });

  api.post('/customers', (req) => {
    const tenant = tenantOf(req);
    const body = parseBody(createCustomerSchema, req.body);
    const tagTypeIds = checkTagTypes(tenant, body.tagTypeIds);
    const locationTags = body.locations.map((l, i) =>
      checkTagTypes(tenant, l.tagTypeIds, `locations[${i}].tagTypeIds`),
    );
    const now = ctx.now();
    const customer: Customer = {
      id: ctx.nextId(),
      active: true,
      name: body.name,
      type: body.type ?? 'Residential',
      address: toAddress(body.address),
      customFields: toCustomFields(body.customFields),
      taxExempt: body.taxExempt ?? false,
      tagTypeIds,
      doNotMail: body.doNotMail ?? false,
      doNotService: body.doNotService ?? false,
      nationalAccount: body.nationalAccount ?? false,
      createdOn: now,
      createdById: 1,
      modifiedOn: now,
      mergedToId: null,
      paymentTermId: body.paymentTermId ?? null,
      creditLimit: body.creditLimit ?? null,
      creditLimitBalance: body.creditLimitBalance ?? null,
      externalData: createExternalData(body.externalData),
      contacts: toContacts(ctx, body.contacts),
    };
    const locations: Location[] = body.locations.map((l, i) => ({
      id: ctx.nextId(),
      customerId: customer.id,
      active: true,
      name: l.name,
      address: toAddress(l.address),
      customFields: toCustomFields(l.customFields),
      createdOn: now,
      createdById: 1,
      modifiedOn: now,
      mergedToId: null,
      zoneId: null,
      taxZoneId: null,
      taxExempt: false,
      tagTypeIds: locationTags[i] ?? [],
      externalData: createExternalData(l.externalData),
      contacts: toContacts(ctx, l.contacts),
    }));
    for (const l of locations) copyContactsToCustomer(ctx, customer, l.contacts);
    tenant.customers.set(customer.id, customer);
    for (const l of locations) tenant.locations.set(l.id, l);
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return {
      ...customerResponse(customer, guid, 0),
      locations: locations.map((l, i) =>
        createdLocationResponse(l, body.locations[i]?.externalData?.applicationGuid.toLowerCase() ?? guid),
      ),
      contacts: customer.contacts.map(contactResponse),
    };
  });

  api.patch('/customers/{id}', (req) => {
    const tenant = tenantOf(req);
    const customer = found(tenant.customers, pathId(req), 'Customer');
    const body = parseBody(updateCustomerSchema, req.body);
    if (body.tagTypeIds != null) customer.tagTypeIds = checkTagTypes(tenant, body.tagTypeIds);
    if (body.name != null) customer.name = body.name;
    if (body.type != null) customer.type = body.type;
    if (body.address != null) customer.address = toAddress(body.address);
    if (body.customFields != null) customer.customFields = toCustomFields(body.customFields);
    if (body.externalData != null) applyExternalDataUpdate(customer.externalData, body.externalData);
    if (body.doNotMail != null) customer.doNotMail = body.doNotMail;
    if (body.doNotService != null) customer.doNotService = body.doNotService;
    if (body.nationalAccount != null) customer.nationalAccount = body.nationalAccount;
    if (body.active != null) customer.active = body.active;
    if (body.taxExempt != null) customer.taxExempt = body.taxExempt;
    if (body.paymentTermId !== undefined) customer.paymentTermId = body.paymentTermId;
    if (body.creditLimit !== undefined) customer.creditLimit = body.creditLimit;
    if (body.creditLimitBalance !== undefined) customer.creditLimitBalance = body.creditLimitBalance;
    customer.modifiedOn = ctx.now();
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return customerResponse(customer, guid, customerBalances(tenant, [customer.id]).get(customer.id) ?? 0);
  });

  api.get('/customers/{id}/contacts', (req) => {
    const tenant = tenantOf(req);
    const customer = found(tenant.customers, pathId(req), 'Customer');
    const paging = readPaging(queryOf(req));
    return paginate(
      [...customer.contacts].sort((a, b) => a.id - b.id),
      paging,
      contactWithDatesResponse,
    );
  });

  api.post('/customers/{id}/tags/{tagTypeId}', (req) => {
    const tenant = tenantOf(req);
    const customer = found(tenant.customers, pathId(req), 'Customer');
    return { customerId: customer.id, tagTypeIds: addTag(ctx, tenant, customer, pathId(req, 'tagTypeId')) };
  });

  api.delete('/customers/{id}/tags/{tagTypeId}', (req, reply) => {
    const customer = found(tenantOf(req).customers, pathId(req), 'Customer');
    removeTag(ctx, customer, pathId(req, 'tagTypeId'));
    return reply.code(200).send();
  });
}
