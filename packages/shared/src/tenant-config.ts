import { z } from 'zod';

/** True when `tag` is a well-formed BCP 47 language tag for a locale this runtime knows. */
export function isSupportedLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false; // RangeError: not a language tag
  }
}

/** True for an IANA time zone name (`Europe/Paris`, `UTC`); UTC offsets such as `+01:00` are not names. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** How the organisation appears in the app: its name on screen, its colour and its logo. */
export const Branding = z.object({
  displayName: z.string().trim().min(1, 'Give a display name').max(100, 'At most 100 characters'),
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'A colour such as #1f3a8a')
    .toLowerCase(),
  /** A ready image among the tenant's files (LOGO_CONTENT_TYPES, at most LOGO_MAX_BYTES); null for none. */
  logoFileId: z.uuid('A file id (a UUID)').nullable(),
});
export type Branding = z.infer<typeof Branding>;

/**
 * The image types a logo may have. No SVG: an SVG opened from its URL runs its scripts, and a logo is
 * shown to every member.
 */
export const LOGO_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** A logo is shown in every page's header: 1 MB (binary, as the app shows sizes) is plenty for that. */
export const LOGO_MAX_BYTES = 1024 * 1024;

export function isLogoFile(file: { contentType: string; size: number }): boolean {
  return (LOGO_CONTENT_TYPES as readonly string[]).includes(file.contentType) && file.size <= LOGO_MAX_BYTES;
}

/**
 * `config.branding`: how the organisation appears to its members: the branding, with a presigned URL of the
 * logo when there is one, and the region its dates and numbers are shown in.
 */
export const BrandingView = z.object({
  displayName: z.string(),
  colour: z.string(),
  locale: z.string(),
  timezone: z.string(),
  /** Null when no logo is set, or when the file it named has since been deleted. */
  logo: z
    .object({
      fileId: z.uuid(),
      name: z.string(),
      url: z.string(),
      expiresAt: z.iso.datetime(),
    })
    .nullable(),
});
export type BrandingView = z.infer<typeof BrandingView>;

export const Locale = z
  .string()
  .trim()
  .min(1)
  .max(35)
  .refine(isSupportedLocale, 'Not a known locale (BCP 47, e.g. en-GB)');
export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'Not an IANA time zone (e.g. Europe/Paris)');

/** Every known setting and its schema; `config.set` accepts exactly these keys. */
export const CONFIG_SETTINGS = { branding: Branding, locale: Locale, timezone: TimeZone } as const;
export type ConfigKey = keyof typeof CONFIG_SETTINGS;
export const ConfigKey = z.enum(Object.keys(CONFIG_SETTINGS) as [ConfigKey, ...ConfigKey[]]);

export const ConfigSettings = z.object({ branding: Branding, locale: Locale, timezone: TimeZone });
export type ConfigSettings = z.infer<typeof ConfigSettings>;

/** The colour of an organisation that chose none (the app's own primary colour). */
export const DEFAULT_BRAND_COLOUR = '#1f3a8a';

/** What a tenant that never set a key gets for it; the display name defaults to the tenant's name. */
export function defaultSettings(tenantName: string): ConfigSettings {
  return {
    branding: { displayName: tenantName.slice(0, 100), colour: DEFAULT_BRAND_COLOUR, logoFileId: null },
    locale: 'en',
    timezone: 'UTC',
  };
}

export const SetConfigInput = z.discriminatedUnion('key', [
  z.object({ key: z.literal('branding'), value: Branding }),
  z.object({ key: z.literal('locale'), value: Locale }),
  z.object({ key: z.literal('timezone'), value: TimeZone }),
]);
export type SetConfigInput = z.input<typeof SetConfigInput>;

/** Lower-case letters, digits, `_`, `.`, `-`; starts with a letter or digit; at most 64 characters. */
export const SecretName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'Lower-case letters, digits, _ . - (at most 64, starting with a letter or digit)',
  );

export const SetSecretInput = z.object({
  name: SecretName,
  /** Write-only: stored encrypted, never returned. */
  value: z.string().min(1, 'Give the value').max(4096, 'At most 4096 characters'),
});
export type SetSecretInput = z.infer<typeof SetSecretInput>;

export const DeleteSecretInput = z.object({ name: SecretName });
export type DeleteSecretInput = z.infer<typeof DeleteSecretInput>;

/** A secret as the API shows it: its name and a mask, never its value. */
export const SecretSummary = z.object({
  name: SecretName,
  /** `••••1234` (the last 4 characters of a value of 12 or more), else `••••`. */
  masked: z.string(),
  updatedAt: z.iso.datetime(),
  /** False when the stored value cannot be decrypted with the configured master keys (replace it). */
  readable: z.boolean(),
});
export type SecretSummary = z.infer<typeof SecretSummary>;

export const TenantConfig = z.object({
  settings: ConfigSettings,
  /** Null for roles that may not manage secrets. */
  secrets: z.array(SecretSummary).nullable(),
});
export type TenantConfig = z.infer<typeof TenantConfig>;

export const SECRET_MASK = '••••';
/** Values shorter than this show no characters at all. */
export const SECRET_MASK_MIN_LENGTH = 12;

export function maskSecret(value: string): string {
  return value.length >= SECRET_MASK_MIN_LENGTH ? `${SECRET_MASK}${value.slice(-4)}` : SECRET_MASK;
}

/** Locales the settings page offers (any supported BCP 47 tag is accepted by the API). */
export const COMMON_LOCALES = [
  'en',
  'en-GB',
  'en-US',
  'en-AU',
  'en-CA',
  'en-IN',
  'fr',
  'fr-CA',
  'de',
  'es',
  'es-MX',
  'it',
  'nl',
  'pt',
  'pt-BR',
  'sv',
  'da',
  'nb',
  'fi',
  'pl',
  'cs',
  'el',
  'tr',
  'ru',
  'uk',
  'ar',
  'he',
  'hi',
  'ja',
  'ko',
  'zh-CN',
  'zh-TW',
] as const;
