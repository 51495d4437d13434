import assert from 'node:assert/strict';
import { dayOf, daysBetween, parseDay } from '../../model/dates.js';

describe('model: calendar days', () => {
  it('parses real YYYY-MM-DD days only', () => {
    assert.deepEqual(
      ['2028-02-29', '2027-02-29', '2026-13-01', '2026-1-01', ' 2026-01-01', ''].map(
        (day) => parseDay(day)?.toISOString() ?? null,
      ),
      ['2028-02-29T00:00:00.000Z', null, null, null, null, null],
    );
  });

  it('counts whole days either way, across a leap day and a year', () => {
    assert.deepEqual(
      [
        daysBetween('2028-02-28', '2028-03-01'),
        daysBetween('2027-02-28', '2027-03-01'),
        daysBetween('2026-12-06', '2025-12-06'),
        daysBetween('2026-12-06', '2026-12-06'),
      ],
      [2, 1, -365, 0],
    );
  });

  it('names the day that is not one, whichever side it is on, and again when asked twice', () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      assert.throws(() => daysBetween('2026-02-30', '2026-03-01'), /not a YYYY-MM-DD day: 2026-02-30/);
      assert.throws(() => daysBetween('2026-03-01', 'soon'), /not a YYYY-MM-DD day: soon/);
    }
  });

  it('stays right past the days it keeps parsed: every day of twelve years against one', () => {
    // Prepare: 4,383 distinct days, more than the 4,096 kept
    const start = Date.UTC(2020, 0, 1);
    const days = Array.from({ length: 4383 }, (_, index) => dayOf(new Date(start + index * 86_400_000)));
    // Act
    const counted = days.map((day) => daysBetween('2020-01-01', day));
    // Assess
    assert.deepEqual(
      counted,
      days.map((_, index) => index),
    );
  });
});
