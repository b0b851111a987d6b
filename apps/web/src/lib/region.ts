/**
 * The region the app shows dates and numbers in: the active organisation's locale and time zone (its
 * settings), or the browser's own while there is none. Set by the shell while it renders (useRegionSync),
 * so every page rendered below it formats with the organisation's region.
 */
export interface DisplayRegion {
  locale: string;
  timeZone: string;
}

let current: DisplayRegion | null = null;

export function setDisplayRegion(region: DisplayRegion | null): void {
  current = region;
}

export function displayRegion(): DisplayRegion | null {
  return current;
}

/** The browser's own time zone (the one dates are shown in when no region is set). */
export const browserTimeZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date format in the current region (cached per region and options). When the organisation's time zone
 * is not the browser's, times carry the zone's name, so nobody misreads 14:00 Paris as their own 14:00.
 */
export function regionDateFormat(options: { dateStyle: 'medium' | 'long'; time?: boolean }): Intl.DateTimeFormat {
  const region = current;
  const showZone = region !== null && region.timeZone !== browserTimeZone();
  const key = `${region?.locale ?? ''}|${region?.timeZone ?? ''}|${options.dateStyle}|${options.time ?? false}|${showZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(region?.locale, {
      dateStyle: options.dateStyle,
      ...(options.time ? { timeStyle: showZone ? 'long' : 'medium' } : {}),
      ...(region ? { timeZone: region.timeZone } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

const numbers = new Map<string, Intl.NumberFormat>();

/** Whole numbers with the region's grouping ("12,345", "12.345", "12 345"); English when no region is set. */
export function formatInteger(n: number): string {
  const locale = current?.locale ?? 'en';
  let format = numbers.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    numbers.set(locale, format);
  }
  return format.format(n);
}
