import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import {
  type ActiveFilter,
  addressResponseSchema,
  addressSchema,
  type ChangeRangeQuery,
  customFieldResponseSchema,
  customFieldUpdateSchema,
  idSchema,
  openEnum,
  parseRequest,
} from './common.js';
import {
  type ExternalDataQuery,
  externalDataCreateSchema,
  externalDataFilter,
  externalDataListSchema,
  externalDataUpdateSchema,
} from './external-data.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// ---------------------------------------------------------------------------------------------
// Shapes (crm-v2.json). Responses are loose: only what the product relies on is required.
// ---------------------------------------------------------------------------------------------

export const contactTypeSchema = z.enum(['Phone', 'Email', 'Fax', 'MobilePhone']);
export type ContactType = z.infer<typeof contactTypeSchema>;

export const customerTypeSchema = z.enum(['Residential', 'Commercial']);
export type CustomerType = z.infer<typeof customerTypeSchema>;

/** A contact method (phone, email…) as written. */
export const contactCreateSchema = z.object({
  type: contactTypeSchema,
  value: z.string().min(1),
  memo: z.string().nullish(),
});
export type ContactCreate = z.input<typeof contactCreateSchema>;

export const contactSchema = z.looseObject({
  id: idSchema,
  type: openEnum(contactTypeSchema.options),
  value: z.string(),
  memo: z.string().nullish(),
});
export type Contact = z.infer<typeof contactSchema>;

export const customerSchema = z.looseObject({
  id: idSchema,
  active: z.boolean(),
  name: z.string(),
  type: openEnum(customerTypeSchema.options).nullish(),
  address: addressResponseSchema.nullish(),
  customFields: z.array(customFieldResponseSchema).nullish(),
  /** CRM balances are JSON numbers (unlike accounting money). */
  balance: z.number().nullish(),
  taxExempt: z.boolean().nullish(),
  tagTypeIds: z.array(idSchema).nullish(),
  doNotMail: z.boolean().nullish(),
  doNotService: z.boolean().nullish(),
  createdOn: z.string().nullish(),
  createdById: idSchema.nullish(),
  modifiedOn: z.string().nullish(),
  /** Set when this customer was merged into another one; use that one instead. */
  mergedToId: idSchema.nullish(),
  externalData: externalDataListSchema,
});
export type Customer = z.infer<typeof customerSchema>;

export const locationSchema = z.looseObject({
  id: idSchema,
  customerId: idSchema,
  active: z.boolean(),
  name: z.string(),
  address: addressResponseSchema.nullish(),
  customFields: z.array(customFieldResponseSchema).nullish(),
  createdOn: z.string().nullish(),
  createdById: idSchema.nullish(),
  modifiedOn: z.string().nullish(),
  mergedToId: idSchema.nullish(),
  zoneId: idSchema.nullish(),
  taxZoneId: idSchema.nullish(),
  taxExempt: z.boolean().nullish(),
  tagTypeIds: z.array(idSchema).nullish(),
  externalData: externalDataListSchema,
});
export type Location = z.infer<typeof locationSchema>;

/** A location as answered by create: with the ids of the contacts created with it. */
export const createdLocationSchema = locationSchema.extend({
  contacts: z
    .array(contactSchema)
    .nullish()
    .transform((list) => list ?? []),
});
export type CreatedLocation = z.infer<typeof createdLocationSchema>;

/** Customer create answers with the customer, its locations and both sets of contacts. */
export const createdCustomerSchema = customerSchema.extend({
  locations: z.array(createdLocationSchema),
  contacts: z
    .array(contactSchema)
    .nullish()
    .transform((list) => list ?? []),
});
export type CreatedCustomer = z.infer<typeof createdCustomerSchema>;

export const newLocationSchema = z.object({
  name: z.string().min(1),
  address: addressSchema,
  contacts: z.array(contactCreateSchema).optional(),
  customFields: z.array(customFieldUpdateSchema).optional(),
  tagTypeIds: z.array(idSchema).optional(),
  externalData: externalDataCreateSchema.optional(),
});
export type NewLocation = z.input<typeof newLocationSchema>;

/** `POST /customers`: one call creates the customer, its location(s) and contacts. */
export const customerCreateSchema = z.object({
  name: z.string().min(1),
  type: customerTypeSchema.optional(),
  doNotMail: z.boolean().optional(),
  doNotService: z.boolean().optional(),
  address: addressSchema,
  locations: z.array(newLocationSchema).min(1),
  contacts: z.array(contactCreateSchema).optional(),
  customFields: z.array(customFieldUpdateSchema).optional(),
  tagTypeIds: z.array(idSchema).optional(),
  externalData: externalDataCreateSchema.optional(),
});
export type CustomerCreate = z.input<typeof customerCreateSchema>;

/**
 * Addresses in PATCH bodies: the spec makes `unit` required (empty string for none) and, for
 * customers, latitude/longitude too; they are filled in here when the caller has none.
 */
const patchAddressSchema = addressSchema.extend({
  unit: z
    .string()
    .nullish()
    .transform((unit) => unit ?? ''),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});

export const customerUpdateSchema = z.object({
  name: z.string().min(1).optional(),
  type: customerTypeSchema.optional(),
  address: patchAddressSchema.optional(),
  customFields: z.array(customFieldUpdateSchema).optional(),
  externalData: externalDataUpdateSchema.optional(),
  doNotMail: z.boolean().optional(),
  doNotService: z.boolean().optional(),
  active: z.boolean().optional(),
  /** Full replacement list. */
  tagTypeIds: z.array(idSchema).optional(),
});
export type CustomerUpdate = z.input<typeof customerUpdateSchema>;

export const locationCreateSchema = newLocationSchema.extend({ customerId: idSchema });
export type LocationCreate = z.input<typeof locationCreateSchema>;

export const locationUpdateSchema = z.object({
  /** Moves the location to another customer. */
  customerId: idSchema.optional(),
  name: z.string().min(1).optional(),
  address: patchAddressSchema.optional(),
  active: z.boolean().optional(),
  taxZoneId: idSchema.optional(),
  /** Full replacement list. */
  customFields: z.array(customFieldUpdateSchema).optional(),
  /** Full replacement list: tags left out are removed. */
  tagTypeIds: z.array(idSchema).optional(),
  externalData: externalDataUpdateSchema.optional(),
});
export type LocationUpdate = z.input<typeof locationUpdateSchema>;

export const customerTagsSchema = z.looseObject({ customerId: idSchema, tagTypeIds: z.array(idSchema) });
export type CustomerTags = z.infer<typeof customerTagsSchema>;
export const locationTagsSchema = z.looseObject({ locationId: idSchema, tagTypeIds: z.array(idSchema) });
export type LocationTags = z.infer<typeof locationTagsSchema>;

const customerPageSchema = pageSchema(customerSchema);
const locationPageSchema = pageSchema(locationSchema);

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** Address filters shared by customers and locations. Matching semantics are not documented by ST. */
export interface AddressQuery {
  street?: string;
  unit?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}

export interface CustomerListQuery extends PageQuery, ChangeRangeQuery, ExternalDataQuery, AddressQuery {
  /** At most 50. */
  ids?: readonly number[];
  name?: string;
  /**
   * Phone number of any of the customer's contacts. ServiceTitan does not document how it matches;
   * pass the 10-digit national number (no `+1`, no punctuation), as integrations in the wild do.
   */
  phone?: string;
  active?: ActiveFilter;
  /** `+Id`, `-ModifiedOn`, `+CreatedOn`… */
  sort?: string;
}

export interface LocationListQuery extends PageQuery, ChangeRangeQuery, ExternalDataQuery, AddressQuery {
  ids?: readonly number[];
  name?: string;
  customerId?: number;
  active?: ActiveFilter;
  sort?: string;
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export interface CustomersApi extends PagedList<CustomerListQuery, Customer> {
  /** Customers carrying our externalData `key` with any of `values` (inactive ones included). */
  findByExternalData(
    key: string,
    values: string | readonly string[],
    options?: CallOptions,
  ): Promise<Customer[]>;
  /** One customer; 404 (`not-found`) if there is none. */
  get(id: number, options?: CallOptions): Promise<Customer>;
  /** Creates the customer with its location(s) and both sets of contacts in one call (200, not 201). */
  create(body: CustomerCreate, options?: CallOptions): Promise<CreatedCustomer>;
  update(id: number, body: CustomerUpdate, options?: CallOptions): Promise<Customer>;
  /** Adds one tag; answers the customer's tag list. */
  addTag(id: number, tagTypeId: number, options?: CallOptions): Promise<CustomerTags>;
  removeTag(id: number, tagTypeId: number, options?: CallOptions): Promise<void>;
}

export interface LocationsApi extends PagedList<LocationListQuery, Location> {
  /** A customer's locations (active and inactive), all pages. */
  listByCustomer(customerId: number, options?: CallOptions): Promise<Location[]>;
  /** Locations carrying our externalData `key` with any of `values` (inactive ones included). */
  findByExternalData(
    key: string,
    values: string | readonly string[],
    options?: CallOptions,
  ): Promise<Location[]>;
  get(id: number, options?: CallOptions): Promise<Location>;
  /** Creates a location for an existing customer (409 "Unknown customer" otherwise). */
  create(body: LocationCreate, options?: CallOptions): Promise<CreatedLocation>;
  update(id: number, body: LocationUpdate, options?: CallOptions): Promise<Location>;
  addTag(id: number, tagTypeId: number, options?: CallOptions): Promise<LocationTags>;
  removeTag(id: number, tagTypeId: number, options?: CallOptions): Promise<void>;
}

export interface CrmApi {
  customers: CustomersApi;
  locations: LocationsApi;
}

export function createCrmApi({ http, applicationGuid }: ApiContext): CrmApi {
  const customerList = pagedList<CustomerListQuery, Customer>(
    'GET /crm/v2/tenant/{tenant}/customers',
    (query, options) =>
      http.request(
        {
          method: 'GET',
          module: 'crm',
          path: 'customers',
          query: asQuery(query),
          subject: 'the customer search',
          ...options,
        },
        customerPageSchema,
      ),
  );
  const locationList = pagedList<LocationListQuery, Location>(
    'GET /crm/v2/tenant/{tenant}/locations',
    (query, options) =>
      http.request(
        {
          method: 'GET',
          module: 'crm',
          path: 'locations',
          query: asQuery(query),
          subject: 'the location search',
          ...options,
        },
        locationPageSchema,
      ),
  );

  const customers: CustomersApi = {
    ...customerList,

    async findByExternalData(
      key: string,
      values: string | readonly string[],
      options?: CallOptions,
    ): Promise<Customer[]> {
      return customerList.listAll(
        { ...externalDataFilter(applicationGuid, key, values), active: 'Any' },
        options,
      );
    },

    async get(id: number, options?: CallOptions): Promise<Customer> {
      return http.request(
        {
          method: 'GET',
          module: 'crm',
          path: 'customers/{id}',
          pathParams: { id },
          subject: `customer ${id}`,
          ...options,
        },
        customerSchema,
      );
    },

    async create(body: CustomerCreate, options?: CallOptions): Promise<CreatedCustomer> {
      return http.request(
        {
          method: 'POST',
          module: 'crm',
          path: 'customers',
          body: parseRequest(customerCreateSchema, body, 'POST /crm/v2/tenant/{tenant}/customers'),
          subject: 'the new customer',
          ...options,
        },
        createdCustomerSchema,
      );
    },

    async update(id: number, body: CustomerUpdate, options?: CallOptions): Promise<Customer> {
      return http.request(
        {
          method: 'PATCH',
          module: 'crm',
          path: 'customers/{id}',
          pathParams: { id },
          body: parseRequest(customerUpdateSchema, body, 'PATCH /crm/v2/tenant/{tenant}/customers/{id}'),
          subject: `the changes to customer ${id}`,
          ...options,
        },
        customerSchema,
      );
    },

    async addTag(id: number, tagTypeId: number, options?: CallOptions): Promise<CustomerTags> {
      return http.request(
        {
          method: 'POST',
          module: 'crm',
          path: 'customers/{id}/tags/{tagTypeId}',
          pathParams: { id, tagTypeId },
          subject: `tag ${tagTypeId} on customer ${id}`,
          ...options,
        },
        customerTagsSchema,
      );
    },

    async removeTag(id: number, tagTypeId: number, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'DELETE',
        module: 'crm',
        path: 'customers/{id}/tags/{tagTypeId}',
        pathParams: { id, tagTypeId },
        subject: `tag ${tagTypeId} on customer ${id}`,
        ...options,
      });
    },
  };

  const locations: LocationsApi = {
    ...locationList,

    async listByCustomer(customerId: number, options?: CallOptions): Promise<Location[]> {
      return locationList.listAll({ customerId, active: 'Any' }, options);
    },

    async findByExternalData(
      key: string,
      values: string | readonly string[],
      options?: CallOptions,
    ): Promise<Location[]> {
      return locationList.listAll(
        { ...externalDataFilter(applicationGuid, key, values), active: 'Any' },
        options,
      );
    },

    async get(id: number, options?: CallOptions): Promise<Location> {
      return http.request(
        {
          method: 'GET',
          module: 'crm',
          path: 'locations/{id}',
          pathParams: { id },
          subject: `location ${id}`,
          ...options,
        },
        locationSchema,
      );
    },

    async create(body: LocationCreate, options?: CallOptions): Promise<CreatedLocation> {
      return http.request(
        {
          method: 'POST',
          module: 'crm',
          path: 'locations',
          body: parseRequest(locationCreateSchema, body, 'POST /crm/v2/tenant/{tenant}/locations'),
          subject: 'the new location',
          ...options,
        },
        createdLocationSchema,
      );
    },

    async update(id: number, body: LocationUpdate, options?: CallOptions): Promise<Location> {
      return http.request(
        {
          method: 'PATCH',
          module: 'crm',
          path: 'locations/{id}',
          pathParams: { id },
          body: parseRequest(locationUpdateSchema, body, 'PATCH /crm/v2/tenant/{tenant}/locations/{id}'),
          subject: `the changes to location ${id}`,
          ...options,
        },
        locationSchema,
      );
    },

    async addTag(id: number, tagTypeId: number, options?: CallOptions): Promise<LocationTags> {
      return http.request(
        {
          method: 'POST',
          module: 'crm',
          path: 'locations/{id}/tags/{tagTypeId}',
          pathParams: { id, tagTypeId },
          subject: `tag ${tagTypeId} on location ${id}`,
          ...options,
        },
        locationTagsSchema,
      );
    },

    async removeTag(id: number, tagTypeId: number, options?: CallOptions): Promise<void> {
      return http.requestVoid({
        method: 'DELETE',
        module: 'crm',
        path: 'locations/{id}/tags/{tagTypeId}',
        pathParams: { id, tagTypeId },
        subject: `tag ${tagTypeId} on location ${id}`,
        ...options,
      });
    },
  };

  return { customers, locations };
}
