import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesToClock, timeSpanMinutes } from './time-span.js';

describe('timeSpanMinutes', () => {
  it('reads the TimeSpan forms ServiceTitan uses', () => {
    expect(timeSpanMinutes('08:00')).toBe(480);
    expect(timeSpanMinutes('08:30:00')).toBe(510);
    expect(timeSpanMinutes('1.02:00:00')).toBe(26 * 60);
    expect(timeSpanMinutes('noon')).toBeNull();
  });

  it('round-trips every clock time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 60 - 1 }), (minutes) => {
        expect(timeSpanMinutes(minutesToClock(minutes))).toBe(minutes);
      }),
    );
  });
});
