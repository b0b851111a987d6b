import { describe, expect, it } from 'vitest';
import { formatDuration, seatsLabel } from './tenant-format';

describe('seatsLabel', () => {
  it('shows members against the cap', () => {
    expect(seatsLabel(12, 100)).toBe('12 / 100 users');
    expect(seatsLabel(1, 1000)).toBe('1 / 1,000 users');
  });
  it('says unlimited when the plan has no cap', () => {
    expect(seatsLabel(3, null)).toBe('3 / unlimited users');
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [850, '850 ms'],
    [2400, '2.4 s'],
    [65_000, '1 min 05 s'],
  ])('formats %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
