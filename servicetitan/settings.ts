import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import { type ActiveFilter, type ChangeRangeQuery, idSchema, namedRefSchema, openEnum } from './common.js';
import { externalDataListSchema } from './external-data.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// settings-v2.json. These are read-only lookups for the product (drop-downs and validation of settings).

export const businessUnitSchema = z.looseObject({
  id: idSchema,
  active: z.boolean(),
  name: z.string(),
  officialName: z.string().nullish(),
  email: z.string().nullish(),
  currency: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  defaultTaxRate: z.number().nullish(),
  trade: namedRefSchema.nullish(),
  division: namedRefSchema.nullish(),
  tagTypeIds: z.array(idSchema).nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
  externalData: externalDataListSchema,
});
export type BusinessUnit = z.infer<typeof businessUnitSchema>;

export const tagTypeSchema = z.looseObject({
  id: idSchema,
  name: z.string(),
  color: z.string().nullish(),
  code: z.string().nullish(),
  importance: openEnum(['Medium', 'High']).nullish(),
  isConversionOpportunity: z.boolean().nullish(),
  active: z.boolean(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type TagType = z.infer<typeof tagTypeSchema>;

export const technicianSchema = z.looseObject({
  id: idSchema,
  userId: idSchema.nullish(),
  name: z.string(),
  active: z.boolean(),
  businessUnitId: idSchema.nullish(),
  email: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  team: z.string().nullish(),
  status: openEnum(['Idle', 'Dispatched', 'Working', 'Meal']).nullish(),
  positions: z.array(z.string()).nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type Technician = z.infer<typeof technicianSchema>;

const businessUnitPageSchema = pageSchema(businessUnitSchema);
const tagTypePageSchema = pageSchema(tagTypeSchema);
const technicianPageSchema = pageSchema(technicianSchema);

export interface BusinessUnitListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  /** Case-insensitive "contains". */
  name?: string;
  active?: ActiveFilter;
  externalDataApplicationGuid?: string;
}

export interface TagTypeListQuery extends PageQuery, ChangeRangeQuery {
  active?: ActiveFilter;
  sort?: string;
}

export interface TechnicianListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  userIds?: readonly number[];
  name?: string;
  active?: ActiveFilter;
}

export interface BusinessUnitsApi extends PagedList<BusinessUnitListQuery, BusinessUnit> {
  get(id: number, options?: CallOptions): Promise<BusinessUnit>;
}

export interface TechniciansApi extends PagedList<TechnicianListQuery, Technician> {
  get(id: number, options?: CallOptions): Promise<Technician>;
}

export interface SettingsApi {
  businessUnits: BusinessUnitsApi;
  tagTypes: PagedList<TagTypeListQuery, TagType>;
  technicians: TechniciansApi;
}

export function createSettingsApi({ http }: ApiContext): SettingsApi {
  const businessUnits: BusinessUnitsApi = {
    ...pagedList<BusinessUnitListQuery, BusinessUnit>(
      'GET /settings/v2/tenant/{tenant}/business-units',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'settings',
            path: 'business-units',
            query: asQuery(query),
            subject: 'the business units',
            ...options,
          },
          businessUnitPageSchema,
        ),
    ),
    async get(id: number, options?: CallOptions): Promise<BusinessUnit> {
      return http.request(
        {
          method: 'GET',
          module: 'settings',
          path: 'business-units/{id}',
          pathParams: { id },
          subject: `business unit ${id}`,
          ...options,
        },
        businessUnitSchema,
      );
    },
  };

  const tagTypes: PagedList<TagTypeListQuery, TagType> = pagedList<TagTypeListQuery, TagType>(
    'GET /settings/v2/tenant/{tenant}/tag-types',
    (query, options) =>
      http.request(
        {
          method: 'GET',
          module: 'settings',
          path: 'tag-types',
          query: asQuery(query),
          subject: 'the tag types',
          ...options,
        },
        tagTypePageSchema,
      ),
  );

  const technicians: TechniciansApi = {
    ...pagedList<TechnicianListQuery, Technician>(
      'GET /settings/v2/tenant/{tenant}/technicians',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'settings',
            path: 'technicians',
            query: asQuery(query),
            subject: 'the technicians',
            ...options,
          },
          technicianPageSchema,
        ),
    ),
    async get(id: number, options?: CallOptions): Promise<Technician> {
      return http.request(
        {
          method: 'GET',
          module: 'settings',
          path: 'technicians/{id}',
          pathParams: { id },
          subject: `technician ${id}`,
          ...options,
        },
        technicianSchema,
      );
    },
  };

  return { businessUnits, tagTypes, technicians };
}
