/**
 * A tenant's configuration, in its `config` table: typed settings (branding, locale, time zone), each
 * validated by its schema in packages/shared, and integration secrets, stored encrypted (keyring.ts) under
 * the key `secret:<name>` and never returned: the API shows them masked, and only the server reads them
 * (`readSecret`). Every change writes its audit row in the same transaction; no secret value reaches an
 * audit row or a log line.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  can,
  CONFIG_SETTINGS,
  isLogoFile,
  LOGO_CONTENT_TYPES,
  LOGO_MAX_BYTES,
  type BrandingView,
  defaultSettings,
  maskSecret,
  SECRET_MASK,
  type ConfigKey,
  type ConfigSettings,
  type DeleteSecretInput,
  type Role,
  type SecretSummary,
  type SetConfigInput,
  type SetSecretInput,
  type TenantConfig,
} from '@tenantry/shared';
import { quotedSchema, tenantSchemaName } from '../db/tenant-schema.js';
import { AppError, fieldError } from '../errors.js';
import { recordAudit, type AuditContext } from './audit.js';
import { LOGO_URL_EXPIRES_SECONDS, presignedInlineUrl, type FileStorage } from './files.js';
import { SecretDecryptionError, type Keyring } from './keyring.js';

/** Secrets share the table with settings; the prefix keeps a secret's name from ever meeting a setting's key. */
const SECRET_PREFIX = 'secret:';
const secretKey = (name: string) => `${SECRET_PREFIX}${name}`;

interface ConfigRow {
  key: string;
  value: unknown;
  secret: boolean;
  updated_at: Date | string;
}

const table = (tenantId: string) => `${quotedSchema(tenantSchemaName(tenantId))}."config"`;
const filesTable = (tenantId: string) => `${quotedSchema(tenantSchemaName(tenantId))}."files"`;

interface LogoFileRow {
  key: string;
  name: string;
  content_type: string;
  size: string | number;
  status: string;
}

async function logoFile(em: EntityManager, tenantId: string, fileId: string) {
  const [row] = await em.execute<LogoFileRow[]>(
    `select "key", "name", "content_type", "size", "status" from ${filesTable(tenantId)} where "id" = ?`,
    [fileId],
  );
  return row
    ? {
        key: row.key,
        name: row.name,
        contentType: row.content_type,
        size: Number(row.size),
        ready: row.status === 'ready',
      }
    : null;
}

const bytes = (n: number) => `${n.toLocaleString('en')} bytes`;

/** A logo must be one of the tenant's uploaded files, an image small enough for a page header. */
async function assertLogoFile(em: EntityManager, tenantId: string, fileId: string): Promise<void> {
  const file = await logoFile(em, tenantId, fileId);
  const refuse = (message: string) =>
    new AppError({
      code: 'BAD_REQUEST',
      appCode: 'VALIDATION_FAILED',
      message,
      fieldErrors: fieldError('logoFileId', message),
    });
  if (!file || !file.ready) throw refuse('No uploaded file of this organisation has this id');
  if (!(LOGO_CONTENT_TYPES as readonly string[]).includes(file.contentType)) {
    throw refuse(`A logo is a PNG, JPEG, WebP or GIF image; ${file.name} is ${file.contentType}`);
  }
  if (!isLogoFile(file)) {
    throw refuse(`A logo is at most 1 MB (${bytes(LOGO_MAX_BYTES)}); ${file.name} is ${bytes(file.size)}`);
  }
}
const iso = (d: Date | string) => new Date(d).toISOString();

/** A logger that takes pino's (object, message) form; the request's or the app's. */
export interface ConfigLog {
  warn(obj: Record<string, unknown>, message: string): void;
}

/** A setting as stored, or the default when it is absent or no longer valid under its schema. */
function settingsOf(rows: ConfigRow[], tenantName: string, log?: ConfigLog): ConfigSettings {
  const settings = defaultSettings(tenantName);
  for (const key of Object.keys(CONFIG_SETTINGS) as ConfigKey[]) {
    const row = rows.find((r) => r.key === key && !r.secret);
    if (!row) continue;
    const parsed = CONFIG_SETTINGS[key].safeParse(row.value);
    if (parsed.success) Object.assign(settings, { [key]: parsed.data });
    else log?.warn({ key }, 'a stored setting no longer passes its schema; the default is shown');
  }
  return settings;
}

function summaryOf(keyring: Keyring, tenantId: string, row: ConfigRow, log?: ConfigLog): SecretSummary {
  const name = row.key.slice(SECRET_PREFIX.length);
  try {
    return {
      name,
      masked: maskSecret(keyring.decrypt(tenantId, name, row.value)),
      updatedAt: iso(row.updated_at),
      readable: true,
    };
  } catch (err) {
    if (!(err instanceof SecretDecryptionError)) throw err;
    log?.warn({ secret: name, reason: err.reason }, err.message);
    return { name, masked: SECRET_MASK, updatedAt: iso(row.updated_at), readable: false };
  }
}

/** `config.get`: the settings (defaults where unset) and, for roles that manage secrets, the masked secrets. */
export async function getTenantConfig(
  em: EntityManager,
  keyring: Keyring,
  tenant: { id: string; name: string },
  role: Role,
  log?: ConfigLog,
): Promise<TenantConfig> {
  const rows = await em.execute<ConfigRow[]>(
    `select "key", "value", "secret", "updated_at" from ${table(tenant.id)} order by "key"`,
  );
  const secrets = can(role, 'secrets.manage')
    ? rows.filter((r) => r.secret && r.key.startsWith(SECRET_PREFIX)).map((r) => summaryOf(keyring, tenant.id, r, log))
    : null;
  return { settings: settingsOf(rows, tenant.name, log), secrets };
}

/**
 * `config.branding`: the branding every member sees, with a presigned URL of the logo. A logo whose file
 * has been deleted (or no longer qualifies) is simply not shown.
 */
export async function getBranding(
  em: EntityManager,
  storage: FileStorage,
  tenant: { id: string; name: string },
  log?: ConfigLog,
): Promise<BrandingView> {
  const { branding, locale, timezone } = await tenantSettings(em, tenant, log);
  const { displayName, colour, logoFileId } = branding;
  const file = logoFileId ? await logoFile(em, tenant.id, logoFileId) : null;
  if (!logoFileId || !file?.ready || !isLogoFile(file)) return { displayName, colour, locale, timezone, logo: null };
  const signed = await presignedInlineUrl(storage, file, LOGO_URL_EXPIRES_SECONDS);
  return { displayName, colour, locale, timezone, logo: { fileId: logoFileId, name: file.name, ...signed } };
}

/** The tenant's settings (defaults where unset), without its secrets: for server code such as e-mails. */
export async function tenantSettings(
  em: EntityManager,
  tenant: { id: string; name: string },
  log?: ConfigLog,
): Promise<ConfigSettings> {
  const rows = await em.execute<ConfigRow[]>(
    `select "key", "value", "secret", "updated_at" from ${table(tenant.id)} where not "secret"`,
  );
  return settingsOf(rows, tenant.name, log);
}

/**
 * A moment as the tenant reads it: its locale and time zone, with the zone's name ("12 December 2026 at
 * 14:00 CET"), for e-mails and other text written on the server.
 */
export function formatForTenant(date: Date, settings: Pick<ConfigSettings, 'locale' | 'timezone'>): string {
  return new Intl.DateTimeFormat(settings.locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: settings.timezone,
  }).format(date);
}

/** `config.set`: one known setting, validated by its schema (the router's input); audited with before and after. */
export async function setTenantSetting(
  em: EntityManager,
  tenantId: string,
  input: SetConfigInput,
  audit: AuditContext,
): Promise<void> {
  const value = CONFIG_SETTINGS[input.key].parse(input.value);
  if (input.key === 'branding' && input.value.logoFileId) await assertLogoFile(em, tenantId, input.value.logoFileId);
  await em.transactional(async (tx) => {
    const [existing] = await tx.execute<ConfigRow[]>(
      `select "value" from ${table(tenantId)} where "key" = ? and not "secret" for update`,
      [input.key],
    );
    if (existing && JSON.stringify(existing.value) === JSON.stringify(value)) return;
    await tx.execute(
      `insert into ${table(tenantId)} ("key", "value", "secret", "updated_at") values (?, ?::jsonb, false, now())
       on conflict ("key") do update set "value" = excluded."value", "updated_at" = now()`,
      [input.key, JSON.stringify(value)],
    );
    await recordAudit(tx, audit, {
      action: 'config.updated',
      targetType: 'config',
      targetId: input.key,
      before: existing ? { [input.key]: existing.value } : null,
      after: { [input.key]: value },
    });
  });
}

/** `config.setSecret`: encrypts and stores (adds or replaces) a secret; the audit row names it, nothing more. */
export async function setTenantSecret(
  em: EntityManager,
  keyring: Keyring,
  tenantId: string,
  input: SetSecretInput,
  audit: AuditContext,
): Promise<SecretSummary> {
  const envelope = keyring.encrypt(tenantId, input.name, input.value);
  return em.transactional(async (tx) => {
    const [existing] = await tx.execute<ConfigRow[]>(
      `select "key" from ${table(tenantId)} where "key" = ? for update`,
      [secretKey(input.name)],
    );
    const [row] = await tx.execute<ConfigRow[]>(
      `insert into ${table(tenantId)} ("key", "value", "secret", "updated_at") values (?, ?::jsonb, true, now())
       on conflict ("key") do update set "value" = excluded."value", "secret" = true, "updated_at" = now()
       returning "updated_at"`,
      [secretKey(input.name), JSON.stringify(envelope)],
    );
    await recordAudit(tx, audit, {
      action: 'config.secret_set',
      targetType: 'secret',
      targetId: input.name,
      after: { name: input.name, replaced: Boolean(existing) },
    });
    return {
      name: input.name,
      masked: maskSecret(input.value),
      updatedAt: iso(row?.updated_at ?? new Date()),
      readable: true,
    };
  });
}

/** `config.deleteSecret`: removes a secret; NOT_FOUND when the tenant has none of that name. */
export async function deleteTenantSecret(
  em: EntityManager,
  tenantId: string,
  input: DeleteSecretInput,
  audit: AuditContext,
): Promise<void> {
  await em.transactional(async (tx) => {
    const deleted = await tx.execute<ConfigRow[]>(
      `delete from ${table(tenantId)} where "key" = ? and "secret" returning "key"`,
      [secretKey(input.name)],
    );
    if (deleted.length === 0) {
      throw new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: `No secret named "${input.name}"` });
    }
    await recordAudit(tx, audit, {
      action: 'config.secret_deleted',
      targetType: 'secret',
      targetId: input.name,
      before: { name: input.name },
    });
  });
}

/**
 * The clear value of a tenant's secret, for server-side integrations (a webhook signer, an API client);
 * null when the tenant has no secret of that name. Any EntityManager will do: the tenant's schema is
 * named from `tenantId`, which also binds the decryption. Never send the result to a client or a log.
 */
export async function readSecret(
  em: EntityManager,
  tenantId: string,
  name: string,
  keyring: Keyring,
): Promise<string | null> {
  const [row] = await em.execute<ConfigRow[]>(`select "value" from ${table(tenantId)} where "key" = ? and "secret"`, [
    secretKey(name),
  ]);
  return row ? keyring.decrypt(tenantId, name, row.value) : null;
}

export interface TenantRotation {
  tenantId: string;
  slug: string;
  /** Secrets of the tenant. */
  secrets: number;
  /** Re-encrypted under the current master key in this run. */
  reEncrypted: number;
  /** Secrets that could not be opened with any configured key (left as they are). */
  failed: Array<{ name: string; reason: string }>;
}

/** Re-encrypts one tenant's secrets that another master key sealed, in one transaction. */
export async function rotateTenantSecrets(
  em: EntityManager,
  keyring: Keyring,
  tenant: { id: string; slug: string },
): Promise<TenantRotation> {
  return em.transactional(async (tx) => {
    const rows = await tx.execute<ConfigRow[]>(
      `select "key", "value" from ${table(tenant.id)} where "secret" order by "key" for update`,
    );
    const result: TenantRotation = {
      tenantId: tenant.id,
      slug: tenant.slug,
      secrets: rows.length,
      reEncrypted: 0,
      failed: [],
    };
    for (const row of rows) {
      if (!keyring.needsRotation(row.value)) continue;
      const name = row.key.slice(SECRET_PREFIX.length);
      let clear: string;
      try {
        clear = keyring.decrypt(tenant.id, name, row.value);
      } catch (err) {
        if (!(err instanceof SecretDecryptionError)) throw err;
        result.failed.push({ name, reason: err.message });
        continue;
      }
      // The value did not change, so neither does updated_at.
      await tx.execute(`update ${table(tenant.id)} set "value" = ?::jsonb where "key" = ?`, [
        JSON.stringify(keyring.encrypt(tenant.id, name, clear)),
        row.key,
      ]);
      result.reEncrypted += 1;
    }
    return result;
  });
}

export interface RotationReport {
  currentKid: string;
  tenants: TenantRotation[];
  secrets: number;
  reEncrypted: number;
  failed: number;
}

/**
 * `cli rotate-master-key`: re-encrypts, under the current master key, every secret of every tenant schema
 * that a previous key sealed; one transaction per tenant, so it can be stopped and run again (idempotent).
 */
export async function rotateMasterKey(
  em: EntityManager,
  keyring: Keyring,
  onTenant?: (result: TenantRotation) => void,
): Promise<RotationReport> {
  const tenants = await em.execute<Array<{ id: string; slug: string }>>(
    `select t.id, t.slug from tenants t
      where exists (select 1 from information_schema.tables i
                     where i.table_schema = t.schema_name and i.table_name = 'config')
      order by t.created_at, t.id`,
  );
  const report: RotationReport = { currentKid: keyring.currentKid, tenants: [], secrets: 0, reEncrypted: 0, failed: 0 };
  for (const tenant of tenants) {
    const result = await rotateTenantSecrets(em.fork(), keyring, tenant);
    report.tenants.push(result);
    report.secrets += result.secrets;
    report.reEncrypted += result.reEncrypted;
    report.failed += result.failed.length;
    onTenant?.(result);
  }
  return report;
}
