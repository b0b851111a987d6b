import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  isSupportedLocale,
  isTimeZone,
  maskSecret,
  SecretName,
  SetConfigInput,
} from './tenant-config.js';

describe('tenant configuration models', () => {
  it('accept BCP 47 locales the runtime knows, and IANA zone names (not offsets)', () => {
    for (const tag of ['en', 'en-GB', 'fr-CA', 'zh-TW', 'pt-BR']) expect(isSupportedLocale(tag), tag).toBe(true);
    for (const tag of ['', 'english', 'xx-YY', 'en_GB', '123']) expect(isSupportedLocale(tag), tag).toBe(false);
    for (const zone of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires'])
      expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['', '+01:00', 'Mars/Olympus', 'Europe/../Paris']) expect(isTimeZone(zone), zone).toBe(false);
  });

  it('mask a secret, showing its last four characters only from twelve on', () => {
    expect(maskSecret('12345678901')).toBe('••••');
    expect(maskSecret('123456789012')).toBe('••••9012');
  });

  it('take known keys only, each with its own schema', () => {
    expect(SetConfigInput.safeParse({ key: 'timezone', value: 'Asia/Tokyo' }).success).toBe(true);
    expect(SetConfigInput.safeParse({ key: 'timezone', value: 'en-GB' }).success).toBe(false);
    expect(SetConfigInput.safeParse({ key: 'week_starts_on', value: 1 }).success).toBe(false);
    expect(
      SetConfigInput.parse({ key: 'branding', value: { displayName: ' A ', colour: '#ABCDEF', logoFileId: null } }),
    ).toEqual({ key: 'branding', value: { displayName: 'A', colour: '#abcdef', logoFileId: null } });
    expect(SecretName.safeParse('a'.repeat(64)).success).toBe(true);
    expect(SecretName.safeParse('a'.repeat(65)).success).toBe(false);
    expect(SecretName.safeParse('-leading').success).toBe(false);
    expect(defaultSettings('x'.repeat(150)).branding.displayName).toHaveLength(100);
  });
});
