import { describe, expect, it } from 'vitest';
import { formatCountdown } from './time';

describe('formatCountdown', () => {
  it.each([
    [0, 'expired'],
    [-5_000, 'expired'],
    [9_400, '9s'],
    [(59 * 60 + 8) * 1000, '59m 08s'],
    [(3600 + 5 * 60 + 30) * 1000, '1h 05m'],
    [(2 * 86_400 + 3 * 3600) * 1000, '2d 3h'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});
