import { type Address, addressesMatch } from './address.js';
import { namesMatch } from './names.js';

/** A ServiceTitan customer as the matching rules see it: its name and every address it has. */
export interface CustomerCandidate {
  id: number;
  name: string;
  /** The bill-to address and the addresses of its locations. */
  addresses: Address[];
}

export interface OrderIdentity {
  firstName: string;
  lastName: string;
  serviceAddress: Address;
}

export type MatchDecision =
  | { kind: 'match'; customerId: number; reason: string }
  | { kind: 'ambiguous'; candidateIds: number[]; reason: string }
  | { kind: 'none' };

const nameFits = (candidate: CustomerCandidate, order: OrderIdentity) =>
  namesMatch(candidate.name, order.firstName, order.lastName);
const addressFits = (candidate: CustomerCandidate, order: OrderIdentity) =>
  candidate.addresses.some((address) => addressesMatch(address, order.serviceAddress));

/**
 * Phone first: one customer with the phone is the match. Several: keep those whose name or service
 * address fits, then those where both fit; one left is the match, more (or none) is ambiguous and an
 * operator decides, because attaching revenue to the wrong household is worse than waiting.
 */
export function decidePhoneMatch(candidates: CustomerCandidate[], order: OrderIdentity): MatchDecision {
  const [only] = candidates;
  if (candidates.length === 0 || !only) return { kind: 'none' };
  if (candidates.length === 1)
    return { kind: 'match', customerId: only.id, reason: 'the only customer with this phone' };

  const eitherFits = candidates.filter((c) => nameFits(c, order) || addressFits(c, order));
  const [eitherOnly] = eitherFits;
  if (eitherFits.length === 1 && eitherOnly) {
    return {
      kind: 'match',
      customerId: eitherOnly.id,
      reason: 'shares the phone and its name or address matches',
    };
  }
  const bothFit = eitherFits.filter((c) => nameFits(c, order) && addressFits(c, order));
  const [bothOnly] = bothFit;
  if (bothFit.length === 1 && bothOnly) {
    return {
      kind: 'match',
      customerId: bothOnly.id,
      reason: 'shares the phone and both name and address match',
    };
  }
  const pool = bothFit.length > 1 ? bothFit : eitherFits.length > 1 ? eitherFits : candidates;
  return {
    kind: 'ambiguous',
    candidateIds: pool.map((c) => c.id),
    reason: `${candidates.length} ServiceTitan customers share this phone number and name/address do not single one out`,
  };
}

/** Without a phone match, a customer matches when both its name and one of its addresses match. */
export function decideNameAddressMatch(candidates: CustomerCandidate[], order: OrderIdentity): MatchDecision {
  const fits = candidates.filter((c) => nameFits(c, order) && addressFits(c, order));
  const [only] = fits;
  if (fits.length === 0 || !only) return { kind: 'none' };
  if (fits.length === 1)
    return { kind: 'match', customerId: only.id, reason: 'name and service address match' };
  return {
    kind: 'ambiguous',
    candidateIds: fits.map((c) => c.id),
    reason: `${fits.length} ServiceTitan customers have this name at this address`,
  };
}
