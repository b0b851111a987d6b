import { USAGE_BASIC_RANGE_DAYS } from '@tenantry/shared';
import { formatInteger } from '../../lib/region';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes in binary units as the plan catalogue counts them: "512 B", "1.5 KB", "10 GB", "1 TB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal below 10 (1.5 GB), whole numbers above (120 GB); never "10.0".
  const rounded = value < 10 && unit > 0 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${UNITS[unit]}`;
}

/** A count with the organisation's thousands separators: "12,345" (lib/region.ts). */
export const formatCount = (n: number): string => formatInteger(n);

/** How close a figure is to its limit: below 80 %, from 80 % ("warn") and from 100 % ("over"). */
export type QuotaLevel = 'ok' | 'warn' | 'over';

export const QUOTA_WARN_PERCENT = 80;

export interface Quota {
  /** Share of the limit in use, rounded down (may exceed 100); `null` when unlimited. */
  percent: number | null;
  /** Width of the bar's fill, 0–100. */
  fill: number;
  level: QuotaLevel;
  /** "12 / 100", "1.2 GB / 10 GB", or "12 · Unlimited". */
  text: string;
}

/** Where `used` stands against `limit` (`null` is unlimited), formatted with `format`. */
export function quota(used: number, limit: number | null, format: (n: number) => string = formatCount): Quota {
  if (limit === null) return { percent: null, fill: 0, level: 'ok', text: `${format(used)} · Unlimited` };
  const percent = limit > 0 ? Math.floor((used / limit) * 100) : used > 0 ? 100 : 0;
  const level: QuotaLevel = percent >= 100 ? 'over' : percent >= QUOTA_WARN_PERCENT ? 'warn' : 'ok';
  return { percent, fill: Math.min(100, Math.max(0, percent)), level, text: `${format(used)} / ${format(limit)}` };
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a moment's UTC day, as the usage procedures count days. */
export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The last `days` UTC days up to and including today's. */
export function lastDays(days: number, now: Date = new Date()): { from: string; to: string } {
  return { from: utcDay(new Date(now.getTime() - (days - 1) * DAY_MS)), to: utcDay(now) };
}

/** The last `months` calendar months up to and including today's UTC day: Nov 24, 2025 to Nov 23, 2026. */
export function lastMonths(months: number, now: Date = new Date()): { from: string; to: string } {
  // Date.UTC rolls over: a month without the day (Feb 30) moves on, so the range never exceeds the months.
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, now.getUTCDate() + 1));
  return { from: utcDay(from), to: utcDay(now) };
}

/** Days in a range, both ends included, as the usage procedures count them. */
export const rangeDays = (range: { from: string; to: string }): number =>
  Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;

export type UsageRangeId = '30d' | '90d' | '12m';

export interface UsageRangeOption {
  id: UsageRangeId;
  /** The option's name, and the heading of the figures once chosen: "Last 90 days". */
  label: string;
  range: (now: Date) => { from: string; to: string };
}

/** What the usage page offers; the first is the default, and within what every plan may query. */
export const USAGE_RANGES: readonly UsageRangeOption[] = [
  { id: '30d', label: 'Last 30 days', range: (now) => lastDays(30, now) },
  { id: '90d', label: 'Last 90 days', range: (now) => lastDays(90, now) },
  { id: '12m', label: 'Last 12 months', range: (now) => lastMonths(12, now) },
];

/** Whether querying a range needs the `advanced_analytics` feature. */
export const needsAdvancedAnalytics = (range: { from: string; to: string }): boolean =>
  rangeDays(range) > USAGE_BASIC_RANGE_DAYS;

const shortDay = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullDay = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const shortMonth = new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' });

const dateOf = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** An axis label for a `YYYY-MM-DD` day: "Nov 3". */
export const formatDay = (day: string): string => shortDay.format(dateOf(day));

/** A day with its year, for tooltips over ranges that may cross a new year: "Nov 3, 2026". */
export const formatFullDay = (day: string): string => fullDay.format(dateOf(day));

/** A range in words: "Oct 25 to Nov 23, 2026", or "Nov 24, 2025 to Nov 23, 2026" across a new year. */
export function formatRange(range: { from: string; to: string }): string {
  const from = range.from.slice(0, 4) === range.to.slice(0, 4) ? formatDay(range.from) : formatFullDay(range.from);
  return `${from} to ${formatFullDay(range.to)}`;
}

/** A month tick on a year-long axis: "Dec", and the year at each January: "2026". */
export const formatMonthTick = (day: string): string =>
  day.slice(5, 7) === '01' ? day.slice(0, 4) : shortMonth.format(dateOf(day));

export interface DayAxis {
  /** Days to put a tick on; `undefined` lets the chart choose (a month or less: a few days apart). */
  ticks: string[] | undefined;
  format: (day: string) => string;
}

/**
 * Ticks for an axis of consecutive days at regular calendar steps, so a long range stays readable:
 * up to a month the chart's own spacing, up to about a quarter each Monday, beyond the first of each month.
 */
export function dayAxis(days: readonly string[]): DayAxis {
  if (days.length <= USAGE_BASIC_RANGE_DAYS) return { ticks: undefined, format: formatDay };
  if (days.length <= 120) return { ticks: days.filter((d) => dateOf(d).getUTCDay() === 1), format: formatDay };
  return { ticks: days.filter((d) => d.endsWith('-01')), format: formatMonthTick };
}

/** Errors as a share of requests, for a summary line: "0.4 %", or "—" without requests. */
export function errorRate(requests: number, errors: number): string {
  if (requests <= 0) return '—';
  const rate = (errors / requests) * 100;
  return `${rate < 10 ? Math.round(rate * 10) / 10 : Math.round(rate)} %`;
}

/** Ticks for a storage axis at round binary sizes (0, 256 KB, 512 KB, …), at most five, covering `max`. */
export function byteTicks(max: number, minTop = 1024 ** 2): number[] {
  const top = Math.max(max, minTop);
  let step = 1;
  // Steps of 1, 2, 4, 8… bytes: every tick is a round number in some binary unit.
  while (top / step > 4) step *= 2;
  const ticks = [0];
  while (ticks[ticks.length - 1]! < top) ticks.push(ticks.length * step);
  return ticks;
}

/**
 * The daily rows with today's live figures: request counts reach the daily table in batches, so today's
 * row takes the rate limiter's count (as the quota bar does) and today's members and storage.
 */
export function withLiveToday<T extends { day: string; apiRequests: number; members: number; storageBytes: number }>(
  days: readonly T[],
  today: { day: string; apiRequests: number; members: number; storageBytes: number } | undefined,
): T[] {
  if (!today) return [...days];
  return days.map((d) =>
    d.day === today.day
      ? {
          ...d,
          apiRequests: Math.max(d.apiRequests, today.apiRequests),
          members: today.members,
          storageBytes: today.storageBytes,
        }
      : d,
  );
}

/** A day of the charts: members and storage are null on days before the organisation existed (no line). */
export type ChartDay<T> = Omit<T, 'members' | 'storageBytes'> & { members: number | null; storageBytes: number | null };

/**
 * The days as the charts draw them: before the organisation's creation day (UTC, as usage days are) it had
 * no members and no storage to speak of, so those gauges are left out rather than drawn as zeros.
 */
export function withExistence<T extends { day: string; members: number; storageBytes: number }>(
  days: readonly T[],
  createdAt: string | undefined,
): ChartDay<T>[] {
  const firstDay = createdAt?.slice(0, 10);
  return days.map((d) => (firstDay && d.day < firstDay ? { ...d, members: null, storageBytes: null } : d));
}
