import { z } from 'zod';
import type { CallOptions } from './api-context.js';
import { ServiceTitanError } from './errors.js';

/** ServiceTitan's paged list envelope (`PaginatedResponse_Of_*`). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
    totalCount: z.number().int().nullish(),
    data: z.array(item),
  });
}

export interface Page<T> {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount?: number | null | undefined;
  data: T[];
}

/** Paging parameters every list accepts. `page` starts at 1; ServiceTitan's default size is 50. */
export interface PageQuery {
  page?: number;
  pageSize?: number;
  /** Ask for `totalCount` (costs ServiceTitan a count query; off by default). */
  includeTotal?: boolean;
}

/** Largest page ServiceTitan is known to serve (servicetitan-api.md §2.1). */
export const MAX_PAGE_SIZE = 5000;
/** Fewer round trips than ST's 50 while keeping responses small. */
export const DEFAULT_COLLECT_PAGE_SIZE = 500;
/** A list bigger than this is almost certainly a missing filter, not something to load into memory. */
export const DEFAULT_MAX_ITEMS = 10_000;

export type FetchPage<T> = (page: number) => Promise<Page<T>>;

/**
 * Pages in order from `startPage` until `hasMore` is false. Stops on an empty page too, so a server
 * that keeps saying `hasMore` without data cannot loop forever.
 */
export async function* iteratePages<T>(fetchPage: FetchPage<T>, startPage = 1): AsyncGenerator<Page<T>> {
  let page = startPage;
  for (;;) {
    const current = await fetchPage(page);
    yield current;
    if (!current.hasMore || current.data.length === 0) return;
    page += 1;
  }
}

/** Items across all pages, one page fetched at a time. */
export async function* iterateItems<T>(fetchPage: FetchPage<T>, startPage = 1): AsyncGenerator<T> {
  for await (const page of iteratePages(fetchPage, startPage)) yield* page.data;
}

export interface CollectOptions {
  /** Throw rather than load more than this many items (default 10 000). */
  maxItems?: number;
  /** Page size to request (default 500, at most 5000). */
  pageSize?: number;
}

/** All items of a list, guarded by `maxItems` (a permanent `too-many-results` error beyond it). */
export async function collectAll<T>(
  fetchPage: FetchPage<T>,
  operation: string,
  options: CollectOptions = {},
): Promise<T[]> {
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const items: T[] = [];
  for await (const item of iterateItems(fetchPage)) {
    if (items.length >= maxItems) {
      throw new ServiceTitanError({
        operation,
        kind: 'permanent',
        code: 'too-many-results',
        plainMessage: `ServiceTitan returned more than ${maxItems} results for ${operation}; narrow the filter`,
      });
    }
    items.push(item);
  }
  return items;
}

/** `list`, `listAll` and `iterate` for one list operation, all with the same filters. */
export interface PagedList<Q extends PageQuery, T> {
  /** One page (`page` defaults to 1, `pageSize` to ServiceTitan's 50). */
  list(query?: Q, options?: CallOptions): Promise<Page<T>>;
  /** Every matching item across pages, up to `maxItems` (default 10 000). */
  listAll(query?: Omit<Q, 'page' | 'pageSize'>, options?: CollectOptions & CallOptions): Promise<T[]>;
  /** Every matching item, fetched page by page as the caller consumes them. */
  iterate(
    query?: Omit<Q, 'page' | 'pageSize'>,
    options?: Pick<CollectOptions, 'pageSize'> & CallOptions,
  ): AsyncGenerator<T>;
}

/** Builds `list`/`listAll`/`iterate` from the function that fetches one page. */
export function pagedList<Q extends PageQuery, T>(
  operation: string,
  fetchPage: (query: Q, options: CallOptions) => Promise<Page<T>>,
): PagedList<Q, T> {
  const pageFetcher =
    (
      query: Omit<Q, 'page' | 'pageSize'> | undefined,
      options: (CollectOptions & CallOptions) | undefined,
    ): FetchPage<T> =>
    (page) =>
      fetchPage(
        {
          ...query,
          page,
          pageSize: Math.min(options?.pageSize ?? DEFAULT_COLLECT_PAGE_SIZE, MAX_PAGE_SIZE),
        } as Q,
        { signal: options?.signal },
      );
  return {
    list: (query, options) => fetchPage((query ?? {}) as Q, options ?? {}),
    listAll: (query, options) => collectAll(pageFetcher(query, options), operation, options),
    iterate: (query, options) => iterateItems(pageFetcher(query, options)),
  };
}
