import { Branding, COMMON_LOCALES, SetSecretInput, type ConfigSettings } from '@tenantry/shared';

export type BrandingField = 'displayName' | 'colour' | 'logoFileId';

/** The branding form as typed: the logo id is text, empty for none. */
export interface BrandingValues {
  displayName: string;
  colour: string;
  logoFileId: string;
}

export const brandingValues = (branding: ConfigSettings['branding']): BrandingValues => ({
  displayName: branding.displayName,
  colour: branding.colour,
  logoFileId: branding.logoFileId ?? '',
});

type Checked<T, F extends string> =
  { data: T; errors: Partial<Record<F, string>> } | { data: null; errors: Partial<Record<F, string>> };

/** The first message for each top-level field, as the API's flattened field errors give them. */
function firstErrors<F extends string>(error: {
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>;
}): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '') as F;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

/** The branding the API would accept (the same schema), or the first message per field. */
export function validateBranding(values: BrandingValues): Checked<ConfigSettings['branding'], BrandingField> {
  const parsed = Branding.safeParse({ ...values, logoFileId: values.logoFileId.trim() || null });
  return parsed.success ? { data: parsed.data, errors: {} } : { data: null, errors: firstErrors(parsed.error) };
}

export type SecretField = 'name' | 'value';

export function validateSecret(values: { name: string; value: string }): Checked<SetSecretInput, SecretField> {
  const parsed = SetSecretInput.safeParse(values);
  return parsed.success ? { data: parsed.data, errors: {} } : { data: null, errors: firstErrors(parsed.error) };
}

/** "French (Canada) · fr-CA"; the tag alone where the browser has no name for it. */
export function localeLabel(tag: string, displayIn = 'en'): string {
  try {
    const name = new Intl.DisplayNames([displayIn], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} · ${tag}` : tag;
  } catch {
    return tag;
  }
}

/** The locales to offer: the common ones, plus the current one if it is not among them. */
export function localeOptions(current: string): string[] {
  const common: readonly string[] = COMMON_LOCALES;
  return common.includes(current) ? [...common] : [current, ...common];
}

/** Every IANA zone the browser knows (UTC first), plus the current one if the browser does not list it. */
export function timeZoneOptions(current: string, known: readonly string[] = supportedTimeZones()): string[] {
  const zones = ['UTC', ...known.filter((z) => z !== 'UTC')];
  return zones.includes(current) ? zones : [current, ...zones];
}

function supportedTimeZones(): string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

/** What changed in the region form, as `config.set` calls. */
export function regionChanges(
  saved: Pick<ConfigSettings, 'locale' | 'timezone'>,
  values: Pick<ConfigSettings, 'locale' | 'timezone'>,
): Array<{ key: 'locale'; value: string } | { key: 'timezone'; value: string }> {
  const changes: Array<{ key: 'locale'; value: string } | { key: 'timezone'; value: string }> = [];
  if (values.locale !== saved.locale) changes.push({ key: 'locale', value: values.locale });
  if (values.timezone !== saved.timezone) changes.push({ key: 'timezone', value: values.timezone });
  return changes;
}
