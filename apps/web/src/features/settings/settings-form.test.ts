import { describe, expect, it } from 'vitest';
import {
  brandingValues,
  localeLabel,
  localeOptions,
  regionChanges,
  timeZoneOptions,
  validateBranding,
  validateSecret,
} from './settings-form';

describe('the branding form', () => {
  it('gives what the API accepts: trimmed name, lower-case colour, an empty logo id as none', () => {
    expect(validateBranding({ displayName: '  Saint Mary  ', colour: '#AABBCC', logoFileId: ' ' })).toEqual({
      data: { displayName: 'Saint Mary', colour: '#aabbcc', logoFileId: null },
      errors: {},
    });
  });

  it('names each field that is wrong', () => {
    const checked = validateBranding({ displayName: '', colour: 'blue', logoFileId: 'logo.png' });
    expect(checked.data).toBeNull();
    expect(Object.keys(checked.errors).sort()).toEqual(['colour', 'displayName', 'logoFileId']);
    expect(checked.errors.colour).toMatch(/#1f3a8a/);
  });

  it('starts from the saved branding', () => {
    expect(brandingValues({ displayName: 'A', colour: '#000000', logoFileId: null }).logoFileId).toBe('');
  });
});

describe('the secret form', () => {
  it('checks the name and the value as the API does', () => {
    expect(validateSecret({ name: 'webhook.signing', value: 's3cret' }).data).toEqual({
      name: 'webhook.signing',
      value: 's3cret',
    });
    expect(Object.keys(validateSecret({ name: 'Bad name', value: '' }).errors).sort()).toEqual(['name', 'value']);
    expect(validateSecret({ name: 'ok', value: 'x'.repeat(4097) }).errors.value).toBe('At most 4096 characters');
  });
});

describe('the region form', () => {
  it('offers the current locale and time zone even when they are not in the lists', () => {
    expect(localeOptions('en')[0]).toBe('en');
    expect(localeOptions('gsw-CH')[0]).toBe('gsw-CH');
    expect(timeZoneOptions('UTC', ['Europe/Paris'])).toEqual(['UTC', 'Europe/Paris']);
    expect(timeZoneOptions('America/Nowhere', ['Europe/Paris'])).toEqual(['America/Nowhere', 'UTC', 'Europe/Paris']);
  });

  it('names a locale in words where the browser can', () => {
    expect(localeLabel('fr-CA')).toBe('Canadian French · fr-CA');
    expect(localeLabel('qq')).toBe('qq');
  });

  it('saves only what changed', () => {
    const saved = { locale: 'en', timezone: 'UTC' };
    expect(regionChanges(saved, saved)).toEqual([]);
    expect(regionChanges(saved, { locale: 'de', timezone: 'Europe/Berlin' })).toEqual([
      { key: 'locale', value: 'de' },
      { key: 'timezone', value: 'Europe/Berlin' },
    ]);
  });
});
