import { describe, expect, it } from 'vitest';
import { initialOf, luminance, textColourOn } from './branding';

describe('initialOf', () => {
  it('takes the first letter or digit, upper-cased, in any script', () => {
    expect(initialOf('demo hospital')).toBe('D');
    expect(initialOf('  «école» du Nord')).toBe('É');
    expect(initialOf('42 Labs')).toBe('4');
    expect(initialOf('—')).toBe('?');
  });
});

describe('textColourOn', () => {
  it('picks white on dark colours and dark text on light ones', () => {
    expect(textColourOn('#1f3a8a')).toBe('#ffffff');
    expect(textColourOn('#000000')).toBe('#ffffff');
    expect(textColourOn('#fde047')).toBe('#111827');
    expect(textColourOn('#ffffff')).toBe('#111827');
  });

  it('falls back to white for a colour it cannot read', () => {
    expect(luminance('red')).toBeNull();
    expect(textColourOn('red')).toBe('#ffffff');
  });
});
