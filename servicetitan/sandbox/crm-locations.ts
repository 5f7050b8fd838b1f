import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import {
  addressSchema,
  addTag,
  checkTagTypes,
  copyContactsToCustomer,
  createdLocationResponse,
  customFieldSchema,
  locationResponse,
  newContactSchema,
  removeTag,
  toAddress,
  toContacts,
  toCustomFields,
} from './crm-common.js';
import { conflict } from './errors.js';
import {
  applyExternalDataUpdate,
  createExternalData,
  externalDataCreateSchema,
  externalDataUpdateSchema,
  matchesExternalData,
  readExternalDataFilter,
  readGuidParam,
} from './external-data.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, containsCi, dateRangeFilter, sortItems } from './query.js';
import type { Location } from './state.js';
import { parseBody } from './validation.js';

// CRM locations: list (by customer, name, address, externalData), get, create for an existing
// customer, patch (including re-parenting), tags.

const createLocationSchema = z.object({
  customerId: z.number().int(),
  name: z.string().min(1),
  address: addressSchema,
  contacts: z.array(newContactSchema).nullish(),
  customFields: z.array(customFieldSchema).nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  externalData: externalDataCreateSchema.nullish(),
});

const updateLocationSchema = z.object({
  customerId: z.number().int().nullish(),
  name: z.string().min(1).nullish(),
  address: addressSchema.nullish(),
  active: z.boolean().nullish(),
  taxZoneId: z.number().int().nullish(),
  customFields: z.array(customFieldSchema).nullish(),
  tagTypeIds: z.array(z.number().int()).nullish(),
  externalData: externalDataUpdateSchema.nullish(),
});

export function registerLocationRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const api = apiRouter(app, 'crm');

  api.get('/locations', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const guid = readGuidParam(q);
    const ids = q.ids('ids');
    const customerId = q.int('customerId');
    const name = q.string('name');
    const street = q.string('street');
    const unit = q.string('unit');
    const city = q.string('city');
    const state = q.string('state');
    const zip = q.string('zip');
    const country = q.string('country');
    const active = q.active();
    const external = readExternalDataFilter(q);
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.locations.values()].filter(
      (l) =>
        (!ids || ids.has(l.id)) &&
        (customerId === undefined || l.customerId === customerId) &&
        active(l.active) &&
        containsCi(l.name, name) &&
        containsCi(l.address.street, street) &&
        containsCi(l.address.unit, unit) &&
        containsCi(l.address.city, city) &&
        containsCi(l.address.state, state) &&
        containsCi(l.address.zip, zip) &&
        containsCi(l.address.country, country) &&
        matchesExternalData(l.externalData, external) &&
        inRange(l),
    );
    return paginate(sortItems(matches, q.string('sort'), COMMON_SORT), paging, (l) =>
      locationResponse(l, guid),
    );
  });

  api.get('/locations/{id}', (req) => {
    const location = found(tenantOf(req).locations, pathId(req), 'Location');
    return locationResponse(location, readGuidParam(queryOf(req)));
  });

  api.post('/locations', (req) => {
    const tenant = tenantOf(req);
    const body = parseBody(createLocationSchema, req.body);
    const customer = tenant.customers.get(body.customerId);
    if (!customer) throw conflict('Unknown customer', 'customerId');
    const tagTypeIds = checkTagTypes(tenant, body.tagTypeIds);
    const now = ctx.now();
    const location: Location = {
      id: ctx.nextId(),
      customerId: customer.id,
      active: true,
      name: body.name,
      address: toAddress(body.address),
      customFields: toCustomFields(body.customFields),
      createdOn: now,
      createdById: 1,
      modifiedOn: now,
      mergedToId: null,
      zoneId: null,
      taxZoneId: null,
      taxExempt: false,
      tagTypeIds,
      externalData: createExternalData(body.externalData),
      contacts: toContacts(ctx, body.contacts),
    };
    copyContactsToCustomer(ctx, customer, location.contacts);
    tenant.locations.set(location.id, location);
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return createdLocationResponse(location, guid);
  });

  api.patch('/locations/{id}', (req) => {
    const tenant = tenantOf(req);
    const location = found(tenant.locations, pathId(req), 'Location');
    const body = parseBody(updateLocationSchema, req.body);
    if (body.customerId != null) {
      if (!tenant.customers.has(body.customerId)) throw conflict('Customer/Tax Zone not found', 'customerId');
      location.customerId = body.customerId;
    }
    if (body.tagTypeIds != null) location.tagTypeIds = checkTagTypes(tenant, body.tagTypeIds);
    if (body.name != null) location.name = body.name;
    if (body.address != null) location.address = toAddress(body.address);
    if (body.active != null) location.active = body.active;
    if (body.taxZoneId !== undefined) location.taxZoneId = body.taxZoneId;
    if (body.customFields != null) location.customFields = toCustomFields(body.customFields);
    if (body.externalData != null) applyExternalDataUpdate(location.externalData, body.externalData);
    location.modifiedOn = ctx.now();
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return locationResponse(location, guid);
  });

  api.post('/locations/{id}/tags/{tagTypeId}', (req) => {
    const tenant = tenantOf(req);
    const location = found(tenant.locations, pathId(req), 'Location');
    return { locationId: location.id, tagTypeIds: addTag(ctx, tenant, location, pathId(req, 'tagTypeId')) };
  });

  api.delete('/locations/{id}/tags/{tagTypeId}', (req, reply) => {
    const location = found(tenantOf(req).locations, pathId(req), 'Location');
    removeTag(ctx, location, pathId(req, 'tagTypeId'));
    return reply.code(200).send();
  });
}
