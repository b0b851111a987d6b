import { afterEach, describe, expect, it } from 'vitest';
import { formatInteger, setDisplayRegion } from './region';
import { formatDate, formatDateTime } from './time';

const newYear = new Date('2026-01-01T00:00:00Z');

afterEach(() => setDisplayRegion(null));

describe('the display region', () => {
  it('formats dates in the organisation’s locale and time zone, naming a zone that is not the browser’s', () => {
    setDisplayRegion({ locale: 'de-DE', timeZone: 'Asia/Tokyo' });
    const text = formatDateTime(newYear);
    expect(text).toMatch(/^01\.01\.2026, 09:00:00/);
    expect(text).toMatch(/GMT\+9|JST/);
    expect(formatDate(newYear)).toBe('1. Januar 2026');
  });

  it('shows the day an organisation lives in, not the UTC one', () => {
    setDisplayRegion({ locale: 'en-US', timeZone: 'America/Los_Angeles' });
    expect(formatDate(newYear)).toBe('December 31, 2025');
  });

  it('groups numbers by the locale, and in English without a region', () => {
    expect(formatInteger(12345)).toBe('12,345');
    setDisplayRegion({ locale: 'de-DE', timeZone: 'UTC' });
    expect(formatInteger(12345)).toBe('12.345');
    setDisplayRegion({ locale: 'fr-FR', timeZone: 'UTC' });
    expect(formatInteger(12345)).toMatch(/^12\s345$/u);
  });
});
