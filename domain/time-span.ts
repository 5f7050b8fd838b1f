/**
 * ServiceTitan writes arrival-window times as .NET TimeSpan strings: `"08:00"`, `"08:00:00"` or
 * `"1.02:00:00"` (days.hours:minutes:seconds). Returns minutes, or null when unreadable.
 */
export function timeSpanMinutes(value: string): number | null {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (!match) return null;
  const [, days, hours, minutes] = match;
  return Number(days ?? 0) * 24 * 60 + Number(hours) * 60 + Number(minutes);
}

/** Minutes since midnight as `HH:mm`. */
export function minutesToClock(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
