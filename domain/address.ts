import { z } from 'zod';
import { stateCode } from './us-states.js';
import {
  bareUnitDesignators,
  cityWords,
  numberedUnitDesignators,
  streetWords,
} from './usps-abbreviations.js';

const US_ZIP = /^\d{5}(-?\d{4})?$/;

const text = (field: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${field} must not be empty` });

export const addressSchema = z
  .object({
    street: text('street'),
    unit: z.string().trim().nullish(),
    city: text('city'),
    state: text('state'),
    zip: text('zip'),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, { error: 'country must be a two-letter ISO code, like "US"' })
      .default('US'),
  })
  .superRefine((address, ctx) => {
    if (address.country !== 'US') return;
    // A blank zip or state has already been reported as empty.
    if (address.zip !== '' && !US_ZIP.test(address.zip)) {
      ctx.addIssue({
        code: 'custom',
        path: ['zip'],
        message: 'zip must be a 5-digit ZIP code, optionally ZIP+4, like "78704" or "78704-1234"',
      });
    }
    if (address.state !== '' && stateCode(address.state) === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['state'],
        message: 'state must be a US state, written as its code or name, like "TX" or "Texas"',
      });
    }
  });

export type Address = z.infer<typeof addressSchema>;
export type AddressInput = z.input<typeof addressSchema>;
export type NormalizedAddress = Omit<Address, 'unit'> & { unit: string | null };

const COUNTRY_NAMES: Record<string, string> = {
  USA: 'US',
  'UNITED STATES': 'US',
  'UNITED STATES OF AMERICA': 'US',
};

function tokens(value: string | null | undefined): string[] {
  return (value ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[.']/g, '')
    .replace(/#/g, ' # ')
    .split(/[^A-Z0-9#-]+/)
    .filter((token) => token !== '' && token !== '-');
}

const isDesignator = (token: string): boolean =>
  numberedUnitDesignators.has(token) || bareUnitDesignators.has(token);

// What may follow "APT": a number ("4", "4-A"), a single letter ("B"), or "#".
const isUnitIdentifier = (token: string | undefined): boolean =>
  token !== undefined && (/\d/.test(token) || /^[A-Z]$/.test(token) || token === '#');

/**
 * Splits "1200 BARTON SPRINGS RD APT 4" into street and unit tokens. A designator counts only after a house
 * number and a street word, and only when followed by an identifier, so "100 STOP RD" stays a street.
 */
function splitEmbeddedUnit(street: readonly string[]): [street: string[], unit: string[]] {
  for (let i = 2; i < street.length; i++) {
    const token = street[i] ?? '';
    const numbered = numberedUnitDesignators.has(token) && isUnitIdentifier(street[i + 1]);
    const bare = bareUnitDesignators.has(token) && i === street.length - 1;
    if (numbered || bare) return [street.slice(0, i), street.slice(i)];
  }
  return [[...street], []];
}

/** Standard designators, identifiers without hyphens, "#" kept only where no designator precedes it. */
function standardUnit(unit: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of unit) {
    const designator = numberedUnitDesignators.get(token) ?? bareUnitDesignators.get(token);
    const previous = out.at(-1);
    if (designator === '#' && previous !== undefined && isDesignator(previous)) continue;
    out.push(designator ?? token.replace(/-/g, ''));
  }
  return out;
}

function renderUnit(unit: readonly string[]): string | null {
  return unit.length === 0 ? null : unit.join(' ').replace(/# /g, '#');
}

// Customers write "#4", "Apt 4" and "Unit 4" for the same door, so only the identifiers identify it.
function unitKey(unit: readonly string[]): string {
  return unit
    .filter((token) => !numberedUnitDesignators.has(token))
    .map((token) => (/^\d+$/.test(token) ? String(Number.parseInt(token, 10)) : token))
    .join(' ');
}

function normalizedParts(address: AddressInput) {
  const [streetTokens, embedded] = splitEmbeddedUnit(tokens(address.street));
  const embeddedUnit = standardUnit(embedded);
  const fieldUnit = standardUnit(tokens(address.unit));
  let unit: string[];
  if (embeddedUnit.length === 0 || fieldUnit.length === 0) unit = [...embeddedUnit, ...fieldUnit];
  else if (unitKey(embeddedUnit) === unitKey(fieldUnit))
    unit = fieldUnit.length >= embeddedUnit.length ? fieldUnit : embeddedUnit;
  else unit = [...embeddedUnit, ...fieldUnit];

  const street = streetTokens
    .flatMap((token) => token.split('-'))
    .filter((token) => token !== '')
    .map((token) => streetWords.get(token) ?? token)
    .join(' ');
  const city = tokens(address.city)
    .flatMap((token) => token.split('-'))
    .map((token) => cityWords.get(token) ?? token)
    .join(' ');
  const countryWords = tokens(address.country).join(' ');
  const country = countryWords === '' ? 'US' : (COUNTRY_NAMES[countryWords] ?? countryWords);
  const state = stateCode(address.state) ?? tokens(address.state).join(' ');
  const postal = address.zip.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const zip = country === 'US' ? postal.slice(0, 5) : postal;
  return { street, unit, city, state, zip, country };
}

export function normalizeAddress(address: AddressInput): NormalizedAddress {
  const { unit, ...rest } = normalizedParts(address);
  return { ...rest, unit: renderUnit(unit) };
}

/**
 * One canonical string per physical address, for matching. The city is left out: the ZIP already pins the
 * place, and city names vary ("Austin" vs "West Lake Hills" in 78746, "St." vs "Saint") without meaning a
 * different door.
 */
export function addressKey(address: AddressInput): string {
  const { street, unit, state, zip, country } = normalizedParts(address);
  return [street, unitKey(unit), state, zip, country].join('|');
}

export function addressesMatch(a: AddressInput, b: AddressInput): boolean {
  return addressKey(a) === addressKey(b);
}

/** The street line with the unit appended once ("1200 Barton Springs Rd Apt 4"), keeping the customer's wording. */
export function formatStreetWithUnit(address: Pick<AddressInput, 'street' | 'unit'>): string {
  const street = address.street.trim().replace(/\s+/g, ' ');
  const unit = (address.unit ?? '').trim().replace(/\s+/g, ' ');
  if (unit === '') return street;
  const [, embedded] = splitEmbeddedUnit(tokens(street));
  const unitTokens = tokens(unit);
  if (embedded.length > 0 && unitKey(standardUnit(embedded)) === unitKey(standardUnit(unitTokens)))
    return street;
  const first = unitTokens[0];
  return first !== undefined && isDesignator(first) ? `${street} ${unit}` : `${street} #${unit}`;
}
