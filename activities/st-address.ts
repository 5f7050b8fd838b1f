import type { Address } from '../domain/address.js';

/** The order's address in ServiceTitan's `CustomerAddress` shape. */
export function toServiceTitanAddress(address: Address) {
  return {
    street: address.street,
    unit: address.unit ?? undefined,
    city: address.city,
    state: address.state,
    zip: address.zip,
    country: address.country ?? 'US',
  };
}

/** ServiceTitan's address (fields may be missing) in the shape the matching rules take. */
export function fromServiceTitanAddress(
  address:
    | {
        street?: string | null;
        unit?: string | null;
        city?: string | null;
        state?: string | null;
        zip?: string | null;
        country?: string | null;
      }
    | null
    | undefined,
): Address | null {
  if (!address?.street || !address.city || !address.state || !address.zip) return null;
  // ServiceTitan writes the country as "USA" or "US"; every tenant this product serves is in the US.
  return {
    street: address.street,
    unit: address.unit ?? null,
    city: address.city,
    state: address.state,
    zip: address.zip,
    country: 'US',
  };
}

export function describeAddress(address: Address | null): string {
  if (!address) return 'no address';
  return [address.street, address.unit, address.city, `${address.state} ${address.zip}`]
    .filter(Boolean)
    .join(', ');
}
