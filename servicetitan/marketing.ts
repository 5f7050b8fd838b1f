import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import { type ActiveFilter, type ChangeRangeQuery, idSchema } from './common.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// marketing-v2.json. Every job needs a campaign; the product reads them for settings.

export const campaignSchema = z.looseObject({
  id: idSchema,
  name: z.string(),
  active: z.boolean(),
  isDefaultCampaign: z.boolean().nullish(),
  category: z
    .looseObject({ id: idSchema, name: z.string().nullish(), active: z.boolean().nullish() })
    .nullish(),
  source: z.string().nullish(),
  medium: z.string().nullish(),
  /** A business unit *name*, not an id (sic, per the spec). */
  businessUnit: z.string().nullish(),
  campaignPhoneNumbers: z.array(z.string()).nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
});
export type Campaign = z.infer<typeof campaignSchema>;

const campaignPageSchema = pageSchema(campaignSchema);

export interface CampaignListQuery extends PageQuery, ChangeRangeQuery {
  ids?: readonly number[];
  /** Case-insensitive "contains". */
  name?: string;
  campaignPhoneNumber?: string;
  active?: ActiveFilter;
  sort?: string;
}

export interface CampaignsApi extends PagedList<CampaignListQuery, Campaign> {
  get(id: number, options?: CallOptions): Promise<Campaign>;
}

export interface MarketingApi {
  campaigns: CampaignsApi;
}

export function createMarketingApi({ http }: ApiContext): MarketingApi {
  const campaigns: CampaignsApi = {
    ...pagedList<CampaignListQuery, Campaign>(
      'GET /marketing/v2/tenant/{tenant}/campaigns',
      (query, options) =>
        http.request(
          {
            method: 'GET',
            module: 'marketing',
            path: 'campaigns',
            query: asQuery(query),
            subject: 'the campaigns',
            ...options,
          },
          campaignPageSchema,
        ),
    ),
    async get(id: number, options?: CallOptions): Promise<Campaign> {
      return http.request(
        {
          method: 'GET',
          module: 'marketing',
          path: 'campaigns/{id}',
          pathParams: { id },
          subject: `campaign ${id}`,
          ...options,
        },
        campaignSchema,
      );
    },
  };
  return { campaigns };
}
