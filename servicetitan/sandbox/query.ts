import { badRequest } from './errors.js';

// Reads list filters the way ASP.NET binds them: names are case-insensitive, a value that does not
// parse is a 400 naming the parameter, comma lists and repeated parameters are both accepted.

export type ActiveFilter = 'True' | 'Any' | 'False';

export class QueryReader {
  private readonly values = new Map<string, string[]>();

  constructor(query: unknown) {
    if (query && typeof query === 'object') {
      for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
        const list = Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
        const k = key.toLowerCase();
        this.values.set(k, [...(this.values.get(k) ?? []), ...list]);
      }
    }
  }

  /** The last non-empty value of `name`. */
  string(name: string): string | undefined {
    const list = this.values.get(name.toLowerCase());
    const value = list?.[list.length - 1]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  int(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d{1,16}$/.test(raw)) throw badRequest(name, `The value '${raw}' is not valid for ${name}.`);
    return Number(raw);
  }

  number(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw badRequest(name, `The value '${raw}' is not valid for ${name}.`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const lower = raw.toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      throw badRequest(name, `The value '${raw}' is not valid for ${name}.`);
    return lower === 'true';
  }

  /** Every value of `name`, splitting comma lists. */
  list(name: string): string[] | undefined {
    const list = this.values.get(name.toLowerCase());
    if (!list) return undefined;
    const items = list
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return items.length ? items : undefined;
  }

  /** Comma-separated ids; ST caps these lists at 50. */
  ids(name: string, max = 50): Set<number> | undefined {
    const items = this.list(name);
    if (!items) return undefined;
    if (items.length > max) throw badRequest(name, `${name} accepts at most ${max} values.`);
    return new Set(
      items.map((item) => {
        if (!/^\d{1,16}$/.test(item)) throw badRequest(name, `The value '${item}' is not valid for ${name}.`);
        return Number(item);
      }),
    );
  }

  /** A value from `allowed`, matched case-insensitively and returned in its canonical spelling. */
  enumValue<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (!found)
      throw badRequest(name, `The value '${raw}' is not valid for ${name}. Allowed: ${allowed.join(', ')}.`);
    return found;
  }

  enumList<T extends string>(name: string, allowed: readonly T[]): Set<T> | undefined {
    const items = this.list(name);
    if (!items) return undefined;
    return new Set(
      items.map((raw) => {
        const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
        if (!found)
          throw badRequest(
            name,
            `The value '${raw}' is not valid for ${name}. Allowed: ${allowed.join(', ')}.`,
          );
        return found;
      }),
    );
  }

  /** Epoch milliseconds of an RFC 3339 date-time parameter. */
  date(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) throw badRequest(name, `The value '${raw}' is not valid for ${name}.`);
    return ms;
  }

  /** The `active` filter: True (the default on most lists), Any or False. */
  active(defaultValue: ActiveFilter = 'True', name = 'active'): (active: boolean) => boolean {
    const value = this.enumValue(name, ['True', 'Any', 'False'] as const) ?? defaultValue;
    if (value === 'Any') return () => true;
    return value === 'True' ? (a) => a : (a) => !a;
  }
}

export function containsCi(haystack: string | null | undefined, needle: string | undefined): boolean {
  if (needle === undefined) return true;
  return (haystack ?? '').toLowerCase().includes(needle.toLowerCase());
}

interface Dated {
  createdOn: string;
  modifiedOn: string;
}

/** The created/modified range filters most ST lists share. */
export function dateRangeFilter(q: QueryReader): (item: Dated) => boolean {
  const createdBefore = q.date('createdBefore');
  const createdOnOrAfter = q.date('createdOnOrAfter');
  const modifiedBefore = q.date('modifiedBefore');
  const modifiedOnOrAfter = q.date('modifiedOnOrAfter');
  if ([createdBefore, createdOnOrAfter, modifiedBefore, modifiedOnOrAfter].every((v) => v === undefined)) {
    return () => true;
  }
  return (item) => {
    const created = Date.parse(item.createdOn);
    const modified = Date.parse(item.modifiedOn);
    if (createdBefore !== undefined && !(created < createdBefore)) return false;
    if (createdOnOrAfter !== undefined && !(created >= createdOnOrAfter)) return false;
    if (modifiedBefore !== undefined && !(modified < modifiedBefore)) return false;
    if (modifiedOnOrAfter !== undefined && !(modified >= modifiedOnOrAfter)) return false;
    return true;
  };
}

type SortKey<T> = (item: T) => string | number;

/** Applies `?sort=+Field` / `-Field` (ST's convention); default is ascending id. */
export function sortItems<T extends { id: number }>(
  items: T[],
  sort: string | undefined,
  keys: Record<string, SortKey<T>>,
): T[] {
  let key: SortKey<T> = (item) => item.id;
  let direction = 1;
  if (sort !== undefined) {
    const match = /^([+-]?)\s*(\w+)$/.exec(sort.trim());
    const field = match?.[2];
    const entry = field
      ? Object.entries(keys).find(([name]) => name.toLowerCase() === field.toLowerCase())
      : undefined;
    if (!match || !entry) {
      throw badRequest(
        'sort',
        `Sorting by '${sort}' is not supported. Supported fields: ${Object.keys(keys).join(', ')}.`,
      );
    }
    key = entry[1];
    direction = match[1] === '-' ? -1 : 1;
  }
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const cmp = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    return cmp * direction;
  });
}

/** Sort keys shared by most lists. */
export const COMMON_SORT = {
  Id: (item: { id: number }) => item.id,
  CreatedOn: (item: { id: number; createdOn: string }) => item.createdOn,
  ModifiedOn: (item: { id: number; modifiedOn: string }) => item.modifiedOn,
};
