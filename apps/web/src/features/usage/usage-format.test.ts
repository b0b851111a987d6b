import { USAGE_BASIC_RANGE_DAYS, USAGE_MAX_RANGE_DAYS } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import {
  byteTicks,
  dayAxis,
  errorRate,
  formatBytes,
  formatCount,
  formatDay,
  formatFullDay,
  formatRange,
  lastDays,
  lastMonths,
  needsAdvancedAnalytics,
  quota,
  rangeDays,
  USAGE_RANGES,
  withExistence,
  withLiveToday,
} from './usage-format';

const GB = 1024 ** 3;

describe('formatBytes', () => {
  it('uses binary units, as the plan catalogue does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * GB)).toBe('10 GB');
    expect(formatBytes(100 * GB)).toBe('100 GB');
    expect(formatBytes(1024 * GB)).toBe('1 TB');
  });

  it('keeps one decimal below 10 and none above', () => {
    expect(formatBytes(1.25 * GB)).toBe('1.3 GB');
    expect(formatBytes(12.4 * 1024 ** 2)).toBe('12 MB');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('shows nothing stranger than 0 B for bad input', () => {
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });
});

describe('quota', () => {
  it('is ok below 80 %, amber from 80 %, red from 100 %', () => {
    expect(quota(79, 100)).toMatchObject({ percent: 79, fill: 79, level: 'ok', text: '79 / 100' });
    expect(quota(80, 100)).toMatchObject({ percent: 80, level: 'warn' });
    expect(quota(99, 100)).toMatchObject({ percent: 99, level: 'warn' });
    expect(quota(100, 100)).toMatchObject({ percent: 100, fill: 100, level: 'over' });
  });

  it('rounds down so 99.9 % is not shown as full, and caps the bar at 100 %', () => {
    expect(quota(999, 1000).percent).toBe(99);
    expect(quota(1500, 1000)).toMatchObject({ percent: 150, fill: 100, level: 'over' });
  });

  it('says Unlimited and draws no share when the plan has no limit', () => {
    expect(quota(12, null)).toEqual({ percent: null, fill: 0, level: 'ok', text: '12 · Unlimited' });
  });

  it('formats both sides with the given unit', () => {
    expect(quota(9 * GB, 10 * GB, formatBytes)).toMatchObject({ text: '9 GB / 10 GB', level: 'warn' });
    expect(quota(1234, 10_000).text).toBe('1,234 / 10,000');
  });

  it('treats a zero limit as full as soon as anything is used', () => {
    expect(quota(0, 0).level).toBe('ok');
    expect(quota(1, 0).level).toBe('over');
  });
});

describe('days', () => {
  it('counts the last 30 UTC days including today', () => {
    expect(lastDays(30, new Date('2026-11-23T23:30:00-02:00'))).toEqual({ from: '2026-10-26', to: '2026-11-24' });
    expect(lastDays(1, new Date('2026-03-01T00:00:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  });

  it('labels a day in UTC', () => {
    expect(formatDay('2026-11-03')).toBe('Nov 3');
    expect(formatFullDay('2026-11-03')).toBe('Nov 3, 2026');
  });

  it('counts the last 12 calendar months, never more than a query may span', () => {
    expect(lastMonths(12, new Date('2026-11-23T12:00:00Z'))).toEqual({ from: '2025-11-24', to: '2026-11-23' });
    expect(lastMonths(12, new Date('2026-01-01T00:00:00Z'))).toEqual({ from: '2025-01-02', to: '2026-01-01' });
    // Across a leap day: 366 days, the most a query may span.
    expect(rangeDays(lastMonths(12, new Date('2028-11-23T12:00:00Z')))).toBe(366);
    // From a leap day: a year back has no Feb 29.
    expect(lastMonths(12, new Date('2028-02-29T12:00:00Z')).from).toBe('2027-03-02');
  });

  it('counts a range with both ends', () => {
    expect(rangeDays({ from: '2026-11-23', to: '2026-11-23' })).toBe(1);
    expect(rangeDays(lastDays(90, new Date('2026-03-29T01:00:00Z')))).toBe(90);
  });

  it('says a range in words, with the year once unless it crosses one', () => {
    expect(formatRange({ from: '2026-10-25', to: '2026-11-23' })).toBe('Oct 25 to Nov 23, 2026');
    expect(formatRange({ from: '2025-11-24', to: '2026-11-23' })).toBe('Nov 24, 2025 to Nov 23, 2026');
  });
});

describe('USAGE_RANGES', () => {
  const now = new Date('2026-11-23T12:00:00Z');

  it('defaults to the last 30 days, which every plan may query', () => {
    const [first] = USAGE_RANGES;
    expect(first?.label).toBe('Last 30 days');
    expect(rangeDays(first!.range(now))).toBe(30);
    expect(needsAdvancedAnalytics(first!.range(now))).toBe(false);
  });

  it('puts the longer ranges behind advanced analytics, within the longest a query may span', () => {
    const spans = USAGE_RANGES.map((o) => [o.label, rangeDays(o.range(now))]);
    expect(spans).toEqual([
      ['Last 30 days', 30],
      ['Last 90 days', 90],
      ['Last 12 months', 365],
    ]);
    for (const option of USAGE_RANGES.slice(1)) {
      expect(needsAdvancedAnalytics(option.range(now))).toBe(true);
      expect(rangeDays(option.range(now))).toBeLessThanOrEqual(USAGE_MAX_RANGE_DAYS);
    }
    // The same boundary as the API's: the basic span is allowed, a day more is not.
    expect(needsAdvancedAnalytics(lastDays(USAGE_BASIC_RANGE_DAYS, now))).toBe(false);
    expect(needsAdvancedAnalytics(lastDays(USAGE_BASIC_RANGE_DAYS + 1, now))).toBe(true);
  });
});

describe('dayAxis', () => {
  const daysOf = (range: { from: string; to: string }) =>
    Array.from({ length: rangeDays(range) }, (_, i) =>
      new Date(Date.parse(range.from) + i * 86_400_000).toISOString().slice(0, 10),
    );

  it("leaves a month to the chart's own spacing", () => {
    const axis = dayAxis(daysOf({ from: '2026-10-25', to: '2026-11-23' }));
    expect(axis.ticks).toBeUndefined();
    expect(axis.format('2026-11-03')).toBe('Nov 3');
  });

  it('ticks 90 days on each Monday, a week apart', () => {
    const axis = dayAxis(daysOf({ from: '2026-08-26', to: '2026-11-23' }));
    expect(axis.ticks).toHaveLength(13);
    expect(axis.ticks?.[0]).toBe('2026-08-31');
    expect(axis.ticks?.at(-1)).toBe('2026-11-23');
    expect(axis.ticks?.every((d) => new Date(d).getUTCDay() === 1)).toBe(true);
    expect(axis.format('2026-08-31')).toBe('Aug 31');
  });

  it('ticks a year on the first of each month, naming the year at January', () => {
    const axis = dayAxis(daysOf({ from: '2025-11-24', to: '2026-11-23' }));
    expect(axis.ticks).toEqual([
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    expect(axis.ticks?.map(axis.format).slice(0, 3)).toEqual(['Dec', '2026', 'Feb']);
  });
});

describe('formatCount and errorRate', () => {
  it('formats counts and error shares', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(errorRate(0, 0)).toBe('—');
    expect(errorRate(1000, 4)).toBe('0.4 %');
    expect(errorRate(10, 5)).toBe('50 %');
  });
});

describe('byteTicks', () => {
  it('steps in round binary sizes up to at least 1 MB', () => {
    expect(byteTicks(0).map(formatBytes)).toEqual(['0 B', '256 KB', '512 KB', '768 KB', '1 MB']);
    expect(byteTicks(3 * GB).map(formatBytes)).toEqual(['0 B', '1 GB', '2 GB', '3 GB']);
    expect(byteTicks(5 * GB).map(formatBytes)).toEqual(['0 B', '2 GB', '4 GB', '6 GB']);
  });

  it('always covers the largest value', () => {
    for (const max of [1, 1000, 123_456_789, 7.5 * GB]) {
      const ticks = byteTicks(max);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('withLiveToday', () => {
  const day = (d: string, apiRequests: number) => ({
    day: d,
    apiRequests,
    apiErrors: 0,
    activeUsers: 1,
    members: 1,
    storageBytes: 0,
  });

  it("puts today's live counts on today's row only, never lowering a flushed count", () => {
    const days = [day('2026-11-22', 5), day('2026-11-23', 2)];
    const live = { day: '2026-11-23', apiRequests: 9, members: 3, storageBytes: 2048 };
    expect(withLiveToday(days, live)).toEqual([
      day('2026-11-22', 5),
      { ...day('2026-11-23', 9), members: 3, storageBytes: 2048 },
    ]);
    expect(withLiveToday(days, { ...live, apiRequests: 1 })[1]!.apiRequests).toBe(2);
    expect(withLiveToday(days, undefined)).toEqual(days);
  });
});

describe('withExistence', () => {
  const day = (d: string, members: number, storageBytes: number) => ({ day: d, apiRequests: 0, members, storageBytes });

  it('leaves out members and storage before the creation day (UTC), and keeps them from it on', () => {
    const days = [day('2026-12-04', 0, 0), day('2026-12-05', 1, 0), day('2026-12-06', 2, 512)];
    expect(withExistence(days, '2026-12-05T23:30:00.000Z')).toEqual([
      { day: '2026-12-04', apiRequests: 0, members: null, storageBytes: null },
      day('2026-12-05', 1, 0),
      day('2026-12-06', 2, 512),
    ]);
  });

  it('keeps every day while the creation date is unknown', () => {
    const days = [day('2026-12-04', 0, 0)];
    expect(withExistence(days, undefined)).toEqual(days);
  });
});
