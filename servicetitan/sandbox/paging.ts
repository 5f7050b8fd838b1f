import { badRequest } from './errors.js';
import type { QueryReader } from './query.js';

// ST's list envelope: { page, pageSize, hasMore, totalCount, data }; page is 1-based, pageSize 50 by
// default; totalCount is only computed when includeTotal=true (null otherwise, as ST serialises it).

export const DEFAULT_PAGE_SIZE = 50;
/** Larger page sizes are clamped: the partner API documents 1..5000 and the Singer tap uses 5000. */
export const MAX_PAGE_SIZE = 5000;

export interface Paging {
  page: number;
  pageSize: number;
  includeTotal: boolean;
}

export interface Page<T> {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount: number | null;
  data: T[];
}

export function readPaging(q: QueryReader): Paging {
  const page = q.int('page') ?? 1;
  if (page < 1) throw badRequest('page', 'page must be 1 or greater.');
  const requested = q.int('pageSize') ?? DEFAULT_PAGE_SIZE;
  if (requested < 1) throw badRequest('pageSize', 'pageSize must be 1 or greater.');
  return {
    page,
    pageSize: Math.min(requested, MAX_PAGE_SIZE),
    includeTotal: q.bool('includeTotal') ?? false,
  };
}

/** One page of `items` (already filtered and sorted), serialising only that page. */
export function paginate<T, R>(items: readonly T[], paging: Paging, serialize: (item: T) => R): Page<R> {
  const start = (paging.page - 1) * paging.pageSize;
  const slice = items.slice(start, start + paging.pageSize);
  return {
    page: paging.page,
    pageSize: paging.pageSize,
    hasMore: start + paging.pageSize < items.length,
    totalCount: paging.includeTotal ? items.length : null,
    data: slice.map(serialize),
  };
}
