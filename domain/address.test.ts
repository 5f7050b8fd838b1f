import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddressInput,
  addressesMatch,
  addressKey,
  addressSchema,
  formatStreetWithUnit,
  normalizeAddress,
} from './address.js';
import { usStateNames } from './us-states.js';
import { streetSuffixes, streetWords } from './usps-abbreviations.js';

const base: AddressInput = {
  street: '1200 Barton Springs Rd',
  unit: 'Apt 4',
  city: 'Austin',
  state: 'TX',
  zip: '78704',
  country: 'US',
};
const key = addressKey(base);
const withChanges = (changes: Partial<AddressInput>): AddressInput => ({ ...base, ...changes });

describe('addressSchema', () => {
  it('accepts the contract example and defaults the country to US', () => {
    const { country, ...withoutCountry } = base;
    const parsed = addressSchema.parse({ ...withoutCountry, unit: null });
    expect(parsed.country).toBe('US');
  });

  it('trims every field', () => {
    const parsed = addressSchema.parse(withChanges({ street: '  1200 Barton Springs Rd ', country: ' us ' }));
    expect(parsed.street).toBe('1200 Barton Springs Rd');
    expect(parsed.country).toBe('US');
  });

  it('allows the unit to be absent or null', () => {
    expect(addressSchema.safeParse(withChanges({ unit: undefined })).success).toBe(true);
    expect(addressSchema.safeParse(withChanges({ unit: null })).success).toBe(true);
  });

  it.each(['street', 'city', 'state', 'zip'] as const)('rejects a blank %s, naming it', (field) => {
    const result = addressSchema.safeParse(withChanges({ [field]: '   ' }));
    expect(result.error?.issues[0]?.path).toEqual([field]);
    expect(result.error?.issues[0]?.message).toContain(field);
  });

  it('accepts ZIP+4', () => {
    expect(addressSchema.safeParse(withChanges({ zip: '78704-1234' })).success).toBe(true);
  });

  it('rejects a malformed US ZIP, saying what it expects', () => {
    const result = addressSchema.safeParse(withChanges({ zip: '7870' }));
    expect(result.error?.issues[0]?.path).toEqual(['zip']);
    expect(result.error?.issues[0]?.message).toMatch(/5-digit ZIP/);
  });

  it('accepts a state name as well as a code, and rejects an unknown one', () => {
    expect(addressSchema.safeParse(withChanges({ state: 'Texas' })).success).toBe(true);
    const result = addressSchema.safeParse(withChanges({ state: 'Texass' }));
    expect(result.error?.issues[0]?.path).toEqual(['state']);
  });

  it('rejects a country that is not a two-letter code', () => {
    const result = addressSchema.safeParse(withChanges({ country: 'USA' }));
    expect(result.error?.issues[0]?.message).toMatch(/two-letter/);
  });
});

describe('normalizeAddress', () => {
  it('standardises every field', () => {
    expect(
      normalizeAddress({
        street: '1200 north  Barton Springs Road.',
        unit: 'Apartment #4',
        city: 'austin',
        state: 'Texas',
        zip: '78704-1234',
      }),
    ).toEqual({
      street: '1200 N BARTON SPGS RD',
      unit: 'APT 4',
      city: 'AUSTIN',
      state: 'TX',
      zip: '78704',
      country: 'US',
    });
  });

  it('moves a unit written in the street line into the unit', () => {
    const normalized = normalizeAddress(withChanges({ street: '1200 Barton Springs Rd Apt 4', unit: null }));
    expect(normalized.street).toBe('1200 BARTON SPGS RD');
    expect(normalized.unit).toBe('APT 4');
  });

  it('keeps the unit once when it is in both the street line and the unit', () => {
    expect(normalizeAddress(withChanges({ street: '1200 Barton Springs Rd #4', unit: 'Apt 4' })).unit).toBe(
      'APT 4',
    );
  });

  it('keeps both when the street line and the unit name different parts', () => {
    expect(
      normalizeAddress(withChanges({ street: '1200 Barton Springs Rd Bldg 2', unit: 'Apt 4' })).unit,
    ).toBe('BLDG 2 APT 4');
  });

  it('writes a unit without a designator as #', () => {
    expect(normalizeAddress(withChanges({ unit: '# 4' })).unit).toBe('#4');
  });

  it('has no unit when none is given', () => {
    expect(normalizeAddress(withChanges({ unit: '' })).unit).toBeNull();
  });

  it('does not take a street word for a unit', () => {
    expect(normalizeAddress(withChanges({ street: '100 Bus Stop Road', unit: null }))).toMatchObject({
      street: '100 BUS STOP RD',
      unit: null,
    });
  });

  it('keeps a non-US postal code whole', () => {
    expect(normalizeAddress({ ...base, zip: 'k1a 0b6', state: 'ON', country: 'CA' }).zip).toBe('K1A0B6');
  });
});

describe('addressKey', () => {
  it.each<[string, Partial<AddressInput>]>([
    ['a trailing period on the suffix', { street: '1200 Barton Springs Rd.' }],
    ['the suffix spelled out and lowercase', { street: '1200 barton springs road' }],
    ['extra spaces and commas', { street: ' 1200,  Barton   Springs  Rd ,' }],
    ['"#4" for "Apt 4"', { unit: '#4' }],
    ['"Apartment 4"', { unit: 'Apartment 4' }],
    ['"Unit 4"', { unit: 'Unit 4' }],
    ['a bare "4"', { unit: '4' }],
    ['the unit inside the street line', { street: '1200 Barton Springs Rd Apt 4', unit: null }],
    ['"#4" glued to the street line', { street: '1200 Barton Springs Rd#4', unit: undefined }],
    ['ZIP+4', { zip: '78704-1234' }],
    ['the state name', { state: 'texas' }],
    ['no country', { country: undefined }],
    ['a different spelling of the city', { city: 'AUSTIN ' }],
  ])('is the same with %s', (_, changes) => {
    expect(addressKey(withChanges(changes))).toBe(key);
  });

  it.each<[string, Partial<AddressInput>]>([
    ['another house number', { street: '1201 Barton Springs Rd' }],
    ['another street', { street: '1200 Barton Creek Rd' }],
    ['another suffix', { street: '1200 Barton Springs Dr' }],
    ['another unit', { unit: 'Apt 5' }],
    ['no unit', { unit: null }],
    ['another ZIP', { zip: '78705' }],
    ['another state', { state: 'OK' }],
  ])('differs with %s', (_, changes) => {
    expect(addressKey(withChanges(changes))).not.toBe(key);
  });

  it('matches directionals and suffixes in either form', () => {
    expect(
      addressesMatch(
        withChanges({ street: '5600 N Lamar Blvd', unit: 'Ste 200' }),
        withChanges({ street: '5600 North Lamar Boulevard', unit: 'Suite 200' }),
      ),
    ).toBe(true);
  });

  it('matches ordinal street names in either form', () => {
    expect(
      addressesMatch(
        withChanges({ street: '100 W 5th St' }),
        withChanges({ street: '100 West Fifth Street' }),
      ),
    ).toBe(true);
  });

  it('ignores leading zeros in a unit number', () => {
    expect(addressesMatch(withChanges({ unit: 'Apt 04' }), withChanges({ unit: '#4' }))).toBe(true);
  });
});

describe('formatStreetWithUnit', () => {
  it('appends the unit as written', () => {
    expect(formatStreetWithUnit(base)).toBe('1200 Barton Springs Rd Apt 4');
  });

  it('prefixes a bare unit number with #', () => {
    expect(formatStreetWithUnit(withChanges({ unit: '4' }))).toBe('1200 Barton Springs Rd #4');
  });

  it('does not repeat a unit already in the street line', () => {
    expect(formatStreetWithUnit(withChanges({ street: '1200 Barton Springs Rd #4' }))).toBe(
      '1200 Barton Springs Rd #4',
    );
  });

  it('gives the street alone when there is no unit', () => {
    expect(formatStreetWithUnit(withChanges({ street: ' 1200  Barton Springs Rd ', unit: null }))).toBe(
      '1200 Barton Springs Rd',
    );
  });
});

describe('abbreviation tables', () => {
  it('map every standard form to itself, so normalising twice changes nothing', () => {
    for (const standard of streetWords.values()) expect(streetWords.get(standard)).toBe(standard);
  });

  it('know every state by name', () => {
    for (const [name, code] of usStateNames) {
      expect(normalizeAddress(withChanges({ state: name.toLowerCase() })).state).toBe(code);
    }
  });
});

// Random addresses built from street words, so every suffix and directional gets exercised.
const word = fc.constantFrom('BARTON', 'LAMAR', 'OAK', 'MAPLE', 'CONGRESS', 'RIVER', 'PECAN', 'ELM');
const suffix = fc.constantFrom(...streetSuffixes);
const directional = fc.constantFrom(
  ['NORTH', 'N'],
  ['SOUTH', 'S'],
  ['EAST', 'E'],
  ['WEST', 'W'],
  ['NORTHEAST', 'NE'],
  ['SOUTHWEST', 'SW'],
);
const designator = fc.constantFrom('Apt', 'Apartment', '#', 'Unit', 'Suite', 'Ste', 'Apt #', 'No.');
const address = fc.record({
  number: fc.integer({ min: 1, max: 99999 }),
  dir: fc.option(directional, { nil: undefined }),
  name: fc.array(word, { minLength: 1, maxLength: 3 }),
  suffix,
  unit: fc.option(fc.tuple(designator, fc.integer({ min: 1, max: 999 })), { nil: undefined }),
  state: fc.constantFrom(...usStateNames),
  zip: fc.integer({ min: 10000, max: 99999 }),
  plus4: fc.option(fc.integer({ min: 1000, max: 9999 }), { nil: undefined }),
});
type Generated = typeof address extends fc.Arbitrary<infer T> ? T : never;

function render(
  a: Generated,
  form: { long: boolean; unitInStreet: boolean; stateName: boolean },
): AddressInput {
  const dir = a.dir === undefined ? [] : [form.long ? a.dir[0] : a.dir[1]];
  const street = [String(a.number), ...dir, ...a.name, form.long ? a.suffix[0] : a.suffix[1]].join(' ');
  const unit = a.unit === undefined ? null : `${a.unit[0]} ${a.unit[1]}`;
  return {
    street: form.unitInStreet && unit !== null ? `${street} ${unit}` : street,
    unit: form.unitInStreet ? null : unit,
    city: 'Austin',
    state: form.stateName ? a.state[0] : a.state[1],
    zip: a.plus4 === undefined ? String(a.zip) : `${a.zip}-${a.plus4}`,
  };
}

const form = fc.record({ long: fc.boolean(), unitInStreet: fc.boolean(), stateName: fc.boolean() });

// Changes only case, spacing and punctuation, none of which carry meaning in an address.
const noisy = (value: string, noise: readonly number[]): string =>
  [...value]
    .map((ch, i) => {
      const n = noise[i % noise.length] ?? 0;
      const cased = n % 2 === 0 ? ch.toLowerCase() : ch.toUpperCase();
      if (ch === ' ') return ['  ', ' , ', ' ', '\t'][n % 4];
      return n % 7 === 0 ? `${cased}.` : cased;
    })
    .join('');

describe('address key properties', () => {
  it('is idempotent: the key of a normalised address is the key of the original', () => {
    fc.assert(
      fc.property(address, form, (a, f) => {
        const input = render(a, f);
        expect(addressKey(normalizeAddress(input))).toBe(addressKey(input));
      }),
    );
  });

  it('ignores long or short suffixes and directionals, state names, ZIP+4 and where the unit is written', () => {
    fc.assert(
      fc.property(address, form, form, (a, f, g) => {
        expect(addressKey(render(a, f))).toBe(addressKey(render(a, g)));
      }),
    );
  });

  it('ignores case, whitespace and punctuation', () => {
    fc.assert(
      fc.property(address, form, fc.array(fc.nat(100), { minLength: 1, maxLength: 10 }), (a, f, noise) => {
        const input = render(a, f);
        const messy: AddressInput = {
          ...input,
          street: noisy(input.street, noise),
          unit: input.unit == null ? input.unit : noisy(input.unit, noise),
          state: ` ${input.state.toLowerCase()} `,
        };
        expect(addressKey(messy)).toBe(addressKey(input));
      }),
    );
  });

  it('tells different house numbers apart', () => {
    fc.assert(
      fc.property(address, form, fc.integer({ min: 1, max: 99999 }), (a, f, other) => {
        fc.pre(other !== a.number);
        expect(addressesMatch(render(a, f), render({ ...a, number: other }, f))).toBe(false);
      }),
    );
  });
});
