import { describe, expect, it } from 'vitest';
import { ServiceTitanError } from './errors.js';
import { collectAll, iteratePages, type Page } from './paging.js';

function pages(total: number, pageSize: number) {
  const calls: number[] = [];
  const fetchPage = async (page: number): Promise<Page<number>> => {
    calls.push(page);
    const start = (page - 1) * pageSize;
    const data = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, i) => start + i);
    return { page, pageSize, hasMore: start + pageSize < total, data };
  };
  return { calls, fetchPage };
}

describe('paging', () => {
  it('walks pages until hasMore is false', async () => {
    const { calls, fetchPage } = pages(7, 3);
    const seen: number[][] = [];
    for await (const page of iteratePages(fetchPage)) seen.push(page.data);
    expect(seen).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('stops on an empty page even if the server claims more', async () => {
    let calls = 0;
    const liar = async (page: number): Promise<Page<number>> => {
      calls += 1;
      return { page, pageSize: 2, hasMore: true, data: page === 1 ? [1, 2] : [] };
    };
    expect(await collectAll(liar, 'GET /x')).toEqual([1, 2]);
    expect(calls).toBe(2);
  });

  it('collects every item across pages', async () => {
    const { fetchPage } = pages(12, 5);
    expect(await collectAll(fetchPage, 'GET /x')).toHaveLength(12);
  });

  it('refuses to load more than maxItems', async () => {
    const { fetchPage } = pages(30, 10);
    const error = await collectAll(fetchPage, 'GET /crm/v2/tenant/{tenant}/customers', {
      maxItems: 25,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceTitanError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'too-many-results' });
  });
});
