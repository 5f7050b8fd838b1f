import { parsePhoneNumberFromString } from 'libphonenumber-js';

// North American Numbering Plan: area code and exchange start with 2-9; an area code of the form N11
// (211, 311, ... 911) is a service code, never a real number.
const NANP_NATIONAL = /^(?!\d11)[2-9]\d{2}[2-9]\d{6}$/;

/**
 * E.164 (`+15125550142`) for any common US format, extension dropped; null when it is not a phone.
 *
 * `isPossible()` plus the NANP shape is used rather than `isValid()`: isValid checks the bundled list of
 * assigned area codes, which goes stale as new overlays open, and rejecting a paid order over a real but
 * newly assigned number is worse than accepting a well-formed one. Only +1 numbers are accepted because
 * ServiceTitan's phone search works on 10 national digits.
 */
export function normalizePhone(input: string): string | null {
  // extract: false so that prose around a number ("call me at ...") is refused rather than mined.
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: 'US', extract: false });
  if (parsed?.countryCallingCode !== '1' || !parsed.isPossible()) return null;
  if (!NANP_NATIONAL.test(parsed.nationalNumber)) return null;
  return `+1${parsed.nationalNumber}`;
}

/** The 10 national digits (`5125550142`), the form ServiceTitan's customer phone search takes. */
export function nationalDigits(input: string): string | null {
  return normalizePhone(input)?.slice(2) ?? null;
}

/** True when both parse to the same number; an unparseable phone matches nothing, not even itself. */
export function phonesMatch(a: string, b: string): boolean {
  const left = normalizePhone(a);
  return left !== null && left === normalizePhone(b);
}
