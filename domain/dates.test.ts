import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  appointmentDate,
  isBusinessDay,
  localDate,
  localDateTimeToUtc,
  nextBusinessDay,
} from './dates.js';

describe('nextBusinessDay', () => {
  it.each([
    ['Monday', '2026-12-07', '2026-12-08'],
    ['Thursday', '2026-12-10', '2026-12-11'],
    ['Friday', '2026-12-04', '2026-12-07'],
    ['Saturday', '2026-12-05', '2026-12-07'],
    ['Sunday', '2026-12-06', '2026-12-07'],
    ['the last day of a year', '2026-12-31', '2027-01-01'],
    ['a leap day', '2028-02-29', '2028-03-01'],
  ])('after a %s', (_, date, expected) => {
    expect(nextBusinessDay(date)).toBe(expected);
  });

  it('refuses something that is not a calendar date', () => {
    expect(() => nextBusinessDay('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => nextBusinessDay('12/04/2026')).toThrow(/not a calendar date/);
  });
});

describe('localDate', () => {
  it('is the date on the wall calendar of the zone', () => {
    expect(localDate('2026-12-05T03:00:00Z', 'America/Chicago')).toBe('2026-12-04');
    expect(localDate('2026-12-05T09:00:00Z', 'Pacific/Honolulu')).toBe('2026-12-04');
    expect(localDate('2026-12-05T10:00:00Z', 'Pacific/Honolulu')).toBe('2026-12-05');
    expect(localDate('2026-12-04T22:00:00-06:00', 'UTC')).toBe('2026-12-05');
  });
});

describe('appointmentDate', () => {
  // Friday 4 December 2026, 04:00 in Chicago.
  const placedAt = '2026-12-04T10:00:00Z';
  const zone = 'America/Chicago';

  it('takes the preferred date when it is a later business day', () => {
    expect(appointmentDate('2026-12-10', placedAt, zone)).toBe('2026-12-10');
  });

  it('takes the preferred date when it is the day the order was placed', () => {
    expect(appointmentDate('2026-12-04', placedAt, zone)).toBe('2026-12-04');
  });

  it('books the next business day when there is no preference', () => {
    expect(appointmentDate(null, placedAt, zone)).toBe('2026-12-07');
    expect(appointmentDate(undefined, placedAt, zone)).toBe('2026-12-07');
  });

  it('books the Monday after a preference on a weekend', () => {
    expect(appointmentDate('2026-12-12', placedAt, zone)).toBe('2026-12-14');
  });

  it('books the next business day when the preference has passed', () => {
    expect(appointmentDate('2026-12-01', placedAt, zone)).toBe('2026-12-07');
  });

  it('judges "today" in the tenant zone, not in UTC', () => {
    // Saturday 03:00 UTC is still Friday evening in Chicago.
    expect(appointmentDate('2026-12-04', '2026-12-05T03:00:00Z', zone)).toBe('2026-12-04');
    expect(appointmentDate('2026-12-04', '2026-12-05T03:00:00Z', 'UTC')).toBe('2026-12-07');
  });
});

describe('localDateTimeToUtc', () => {
  it.each([
    ['winter in Chicago (CST, -6)', '2026-12-10', '08:00', 'America/Chicago', '2026-12-10T14:00:00.000Z'],
    ['summer in Chicago (CDT, -5)', '2026-07-01', '08:00', 'America/Chicago', '2026-07-01T13:00:00.000Z'],
    ['just before spring forward', '2026-03-08', '01:30', 'America/Chicago', '2026-03-08T07:30:00.000Z'],
    ['just after spring forward', '2026-03-08', '03:30', 'America/Chicago', '2026-03-08T08:30:00.000Z'],
    [
      'the skipped hour, pushed forward',
      '2026-03-08',
      '02:30',
      'America/Chicago',
      '2026-03-08T08:30:00.000Z',
    ],
    [
      'the repeated hour, first time round',
      '2026-11-01',
      '01:30',
      'America/Chicago',
      '2026-11-01T06:30:00.000Z',
    ],
    ['just before fall back', '2026-11-01', '00:30', 'America/Chicago', '2026-11-01T05:30:00.000Z'],
    ['just after fall back', '2026-11-01', '02:30', 'America/Chicago', '2026-11-01T08:30:00.000Z'],
    ['midnight after fall back', '2026-11-02', '00:00', 'America/Chicago', '2026-11-02T06:00:00.000Z'],
    [
      "Honolulu on Chicago's spring-forward night",
      '2026-03-08',
      '02:30',
      'Pacific/Honolulu',
      '2026-03-08T12:30:00.000Z',
    ],
    ['Honolulu in summer', '2026-07-01', '08:00', 'Pacific/Honolulu', '2026-07-01T18:00:00.000Z'],
    ['a half-hour zone', '2026-07-01', '08:00', 'Asia/Kolkata', '2026-07-01T02:30:00.000Z'],
    ['a southern-hemisphere summer', '2026-01-15', '09:00', 'Australia/Sydney', '2026-01-14T22:00:00.000Z'],
    [
      'a late-evening time that is tomorrow in UTC',
      '2026-12-10',
      '23:45',
      'America/Chicago',
      '2026-12-11T05:45:00.000Z',
    ],
  ])('%s', (_, date, time, zone, expected) => {
    expect(localDateTimeToUtc(date, time, zone)).toBe(expected);
  });

  it('refuses a malformed time, date or zone', () => {
    expect(() => localDateTimeToUtc('2026-12-10', '8am', 'America/Chicago')).toThrow(/time of day/);
    expect(() => localDateTimeToUtc('2026-12-10', '24:00', 'America/Chicago')).toThrow(/time of day/);
    expect(() => localDateTimeToUtc('2026-13-01', '08:00', 'America/Chicago')).toThrow(/calendar date/);
    expect(() => localDateTimeToUtc('2026-12-10', '08:00', 'America/Nowhere')).toThrow(RangeError);
  });
});

const zones = fc.constantFrom(
  'America/Chicago',
  'America/New_York',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
);
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2031, 0, 1);
const instant = fc.integer({ min: FROM / 60_000, max: TO / 60_000 }).map((minute) => minute * 60_000);
const date = fc
  .integer({ min: FROM / 86_400_000, max: TO / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

function wallClock(utcMs: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(utcMs))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

describe('date properties', () => {
  it('nextBusinessDay is the first weekday strictly after the date', () => {
    fc.assert(
      fc.property(date, (day) => {
        const next = nextBusinessDay(day);
        expect(isBusinessDay(next)).toBe(true);
        expect(next > day).toBe(true);
        for (let between = addDays(day, 1); between < next; between = addDays(between, 1)) {
          expect(isBusinessDay(between)).toBe(false);
        }
      }),
    );
  });

  it('appointmentDate is a business day on or after the order date: the preference, or the Monday after a weekend one', () => {
    fc.assert(
      fc.property(fc.option(date, { nil: null }), instant, zones, (preferred, placedMs, zone) => {
        const placedAt = new Date(placedMs).toISOString();
        const booked = appointmentDate(preferred, placedAt, zone);
        const orderDate = localDate(placedAt, zone);
        expect(isBusinessDay(booked)).toBe(true);
        expect(booked >= orderDate).toBe(true);
        const preferenceUsable = preferred !== null && preferred >= orderDate;
        const expected = !preferenceUsable
          ? nextBusinessDay(orderDate)
          : isBusinessDay(preferred)
            ? preferred
            : nextBusinessDay(preferred);
        expect(booked).toBe(expected);
      }),
    );
  });

  it('localDateTimeToUtc reverses the wall clock: the instant reads as the same local date and time', () => {
    fc.assert(
      fc.property(instant, zones, (utcMs, zone) => {
        const wall = wallClock(utcMs, zone);
        const back = Date.parse(localDateTimeToUtc(wall.date, wall.time, zone));
        expect(wallClock(back, zone)).toEqual(wall);
        // Only a repeated hour has two instants; the earlier one is chosen.
        expect(back <= utcMs).toBe(true);
        expect(utcMs - back).toBeLessThanOrEqual(60 * 60_000);
      }),
    );
  });

  it('localDateTimeToUtc never goes backwards as the wall clock moves forward', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 1438 }), zones, (day, minuteOfDay, zone) => {
        const time = (m: number) =>
          `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const earlier = localDateTimeToUtc(day, time(minuteOfDay), zone);
        const later = localDateTimeToUtc(day, time(minuteOfDay + 1), zone);
        expect(later >= earlier).toBe(true);
      }),
    );
  });
});
