// Dates are 'YYYY-MM-DD' strings and instants ISO strings; all arithmetic is done on UTC midnights so the
// machine's own time zone never leaks in (this code also runs inside Temporal workflows).

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

function dateToUtcMs(isoDate: string): number {
  const match = ISO_DATE.exec(isoDate);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== isoDate) {
    throw new Error(`"${isoDate}" is not a calendar date like "2026-12-10"`);
  }
  return ms;
}

const utcMsToDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(isoDate: string, days: number): string {
  return utcMsToDate(dateToUtcMs(isoDate) + days * DAY_MS);
}

export function isBusinessDay(isoDate: string): boolean {
  const weekday = new Date(dateToUtcMs(isoDate)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The first Monday-to-Friday strictly after the date: Friday, Saturday and Sunday all give Monday. */
export function nextBusinessDay(isoDate: string): string {
  let day = addDays(isoDate, 1);
  while (!isBusinessDay(day)) day = addDays(day, 1);
  return day;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in the zone at an instant, as if that reading were UTC. */
function wallClockMs(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const offsetMs = (utcMs: number, timeZone: string): number =>
  wallClockMs(utcMs, timeZone) - (utcMs - (((utcMs % 1000) + 1000) % 1000));

function parseInstant(isoDateTime: string): number {
  const ms = Date.parse(isoDateTime);
  if (Number.isNaN(ms))
    throw new Error(`"${isoDateTime}" is not an ISO date-time like "2026-12-04T10:00:00Z"`);
  return ms;
}

/** The calendar date in the zone at an instant: an order placed at 03:00Z on the 5th was placed on the 4th in Chicago. */
export function localDate(isoDateTime: string, timeZone: string): string {
  return utcMsToDate(wallClockMs(parseInstant(isoDateTime), timeZone));
}

/**
 * The UTC instant at which the zone's clocks read `date time`. The offset is read from the zone a day
 * before and a day after, since a DST change in between makes them differ: a time that exists under both
 * (the repeated hour in autumn) takes the earlier instant, a time that does not exist (the skipped hour in
 * spring) is pushed forward by the gap, as wall clocks are. Zones change offset at most once a day.
 */
export function localDateTimeToUtc(date: string, time: string, timeZone: string): string {
  const clock = LOCAL_TIME.exec(time);
  const hours = Number(clock?.[1]);
  const minutes = Number(clock?.[2]);
  if (!clock || hours > 23 || minutes > 59) throw new Error(`"${time}" is not a time of day like "08:30"`);
  const wall = dateToUtcMs(date) + (hours * 60 + minutes) * 60_000;

  const offsetBefore = offsetMs(wall - DAY_MS, timeZone);
  const offsetAfter = offsetMs(wall + DAY_MS, timeZone);
  const fits = [wall - offsetBefore, wall - offsetAfter].filter((utc) => wallClockMs(utc, timeZone) === wall);
  const utc = fits.length > 0 ? Math.min(...fits) : wall - offsetBefore;
  return new Date(utc).toISOString();
}

/**
 * The date to book an order's work: the customer's preferred date when it is no earlier than the day the
 * order was placed (in the tenant's zone), moved to the Monday after when it falls on a weekend; without a
 * usable preference, the next business day after the order was placed.
 */
export function appointmentDate(
  preferredDate: string | null | undefined,
  placedAt: string,
  timeZone: string,
): string {
  const orderDate = localDate(placedAt, timeZone);
  if (preferredDate != null && preferredDate >= orderDate) {
    // A weekend preference means "around then": the Monday after it, not days before it.
    return isBusinessDay(preferredDate) ? preferredDate : nextBusinessDay(preferredDate);
  }
  return nextBusinessDay(orderDate);
}
