import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_BRAND_COLOUR,
  LOGO_MAX_BYTES,
  type AuditEntry,
  type BrandingView,
  type SecretSummary,
  type TenantConfig,
} from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { SecretDecryptionError, type SecretEnvelope } from '../src/services/keyring.js';
import { readSecret } from '../src/services/tenant-config.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, snapshotTenant, userIdByEmail, type Db } from './helpers/db.js';
import { uploadFile } from './helpers/files.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type CallOptions, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;
let owner: TestUser;
let tenant: TestTenant;
let ownerB: TestUser;
let tenantB: TestTenant;
const users = {} as Record<'admin' | 'member' | 'viewer', TestUser>;

const as = (user: TestUser, tenantId = tenant.id): CallOptions => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenantId),
});
const getConfig = (user: TestUser, tenantId = tenant.id) =>
  call<TenantConfig>(t.app, 'query', 'config.get', undefined, as(user, tenantId));
const setSecret = (user: TestUser, name: string, value: string, tenantId = tenant.id) =>
  call<SecretSummary>(t.app, 'mutation', 'config.setSecret', { name, value }, as(user, tenantId));
const configTable = (tenantId: string) => `"${tenantSchemaName(tenantId)}"."config"`;
/** A value long enough to show its last four characters, unique to the test. */
const plaintext = (label: string) => `${label}_${randomBytes(18).toString('hex')}`;
const read = (tenantId: string, name: string) =>
  readSecret(t.app.services.orm.em.fork(), tenantId, name, t.app.services.keyring);

async function refusalOf(promise: Promise<unknown>): Promise<SecretDecryptionError> {
  const error = await promise.then(
    () => new Error('decryption succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof SecretDecryptionError)) throw error;
  return error;
}

async function storedEnvelope(tenantId: string, name: string): Promise<SecretEnvelope> {
  const [row] = await db.query<{ value: SecretEnvelope }>(
    `select value from ${configTable(tenantId)} where key = $1 and secret`,
    [`secret:${name}`],
  );
  if (!row) throw new Error(`no stored secret ${name}`);
  return row.value;
}
const storeEnvelope = (tenantId: string, name: string, envelope: unknown) =>
  db.query(
    `insert into ${configTable(tenantId)} (key, value, secret, updated_at) values ($1, $2, true, now())
     on conflict (key) do update set value = excluded.value`,
    [`secret:${name}`, JSON.stringify(envelope)],
  );

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
  [{ user: owner, tenant }, { user: ownerB, tenant: tenantB }] = await Promise.all([
    ownerWithTenant(t.app, `Config A ${Date.now()}`),
    ownerWithTenant(t.app, `Config B ${Date.now()}`),
  ]);
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const user = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
    users[role] = user;
  }
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('settings', () => {
  it('are the defaults for a new tenant; every member reads them, only managers see secrets', async () => {
    const res = await getConfig(ownerB, tenantB.id);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      settings: {
        branding: { displayName: tenantB.name, colour: DEFAULT_BRAND_COLOUR, logoFileId: null },
        locale: 'en',
        timezone: 'UTC',
      },
      secrets: [],
    });
    for (const role of ['viewer', 'member'] as const) {
      const other = await getConfig(users[role]);
      expect(other.status).toBe(200);
      expect(other.data.secrets).toBeNull();
    }
    expect((await getConfig(users.admin)).data.secrets).toEqual(expect.any(Array));
  });

  it('stores each known key after its schema, and audits the change with before and after', async () => {
    const { id: logoFileId } = await uploadFile(t.app, as(users.admin), {
      name: 'mark.webp',
      contentType: 'image/webp',
      body: randomBytes(32),
    });
    const branding = await call<TenantConfig>(
      t.app,
      'mutation',
      'config.set',
      { key: 'branding', value: { displayName: '  Saint Mary’s  ', colour: '#AA33CC', logoFileId } },
      as(users.admin),
    );
    expect(branding.status, JSON.stringify(branding.body)).toBe(200);
    expect(branding.data.settings.branding).toEqual({ displayName: 'Saint Mary’s', colour: '#aa33cc', logoFileId });
    for (const [key, value] of [
      ['locale', 'fr-CA'],
      ['timezone', 'Europe/Paris'],
    ] as const) {
      expect((await call(t.app, 'mutation', 'config.set', { key, value }, as(owner))).status).toBe(200);
    }
    const seen = await getConfig(users.viewer);
    expect(seen.data.settings).toEqual({
      branding: { displayName: 'Saint Mary’s', colour: '#aa33cc', logoFileId },
      locale: 'fr-CA',
      timezone: 'Europe/Paris',
    });

    const audit = await call<{ items: AuditEntry[] }>(
      t.app,
      'query',
      'audit.list',
      { action: 'config.updated' },
      as(owner),
    );
    const timezone = audit.data.items.find((e) => e.targetId === 'timezone');
    expect(timezone).toMatchObject({
      targetType: 'config',
      before: { timezone: 'UTC' },
      after: { timezone: 'Europe/Paris' },
    });
    expect(audit.data.items.find((e) => e.targetId === 'branding')).toMatchObject({
      before: null,
      after: { branding: { displayName: 'Saint Mary’s', colour: '#aa33cc', logoFileId } },
    });

    // The same value again changes nothing and writes no audit row.
    await call(t.app, 'mutation', 'config.set', { key: 'timezone', value: 'Europe/Paris' }, as(owner));
    const again = await call<{ items: AuditEntry[] }>(
      t.app,
      'query',
      'audit.list',
      { action: 'config.updated' },
      as(owner),
    );
    expect(again.data.items).toHaveLength(audit.data.items.length);
  });

  it('answers invalid input with field errors', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ key: 'branding', value: { displayName: '', colour: 'red', logoFileId: 'nope' } }, 'value', /./],
      [{ key: 'locale', value: 'xx-notalocale-really' }, 'value', /locale/],
      [{ key: 'timezone', value: 'Mars/Olympus_Mons' }, 'value', /time zone/],
      [{ key: 'timezone', value: '+01:00' }, 'value', /time zone/],
      [{ key: 'week_starts_on', value: 1 }, 'key', /./],
    ];
    for (const [input, field, message] of cases) {
      const res = await call(t.app, 'mutation', 'config.set', input, as(owner));
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error?.data.appCode).toBe('VALIDATION_FAILED');
      expect(res.body.error?.data.zodError?.fieldErrors[field]?.join(' '), JSON.stringify(res.body)).toMatch(message);
    }
    const secret = await call(t.app, 'mutation', 'config.setSecret', { name: 'Bad Name!', value: '' }, as(owner));
    expect(secret.status).toBe(400);
    expect(Object.keys(secret.body.error?.data.zodError?.fieldErrors ?? {}).sort()).toEqual(['name', 'value']);
    const long = await call(t.app, 'mutation', 'config.setSecret', { name: 'big', value: 'x'.repeat(4097) }, as(owner));
    expect(long.body.error?.data.zodError?.fieldErrors.value).toEqual(['At most 4096 characters']);
  });

  it('cannot be changed by viewers or members; admins and owners can', async () => {
    const mutations = [
      { path: 'config.set', input: { key: 'locale', value: 'de' } },
      { path: 'config.setSecret', input: { name: 'role-probe', value: 'role-probe-value-123' } },
      { path: 'config.deleteSecret', input: { name: 'role-probe' } },
    ];
    for (const role of ['viewer', 'member'] as const) {
      for (const { path, input } of mutations) {
        const res = await call(t.app, 'mutation', path, input, as(users[role]));
        expect(res.status, `${role} ${path}`).toBe(403);
        expect(res.body.error?.data.appCode).toBe('FORBIDDEN');
      }
    }
    for (const { path, input } of mutations) {
      expect((await call(t.app, 'mutation', path, input, as(users.admin))).status, path).toBe(200);
    }
  });
});

describe('branding', () => {
  const getBranding = (user: TestUser, tenantId = tenant.id) =>
    call<BrandingView>(t.app, 'query', 'config.branding', undefined, as(user, tenantId));
  const setLogo = (logoFileId: string | null, user: TestUser = owner) =>
    call<TenantConfig>(
      t.app,
      'mutation',
      'config.set',
      { key: 'branding', value: { displayName: 'Branded A', colour: '#0f766e', logoFileId } },
      as(user),
    );
  // The eight bytes every PNG starts with, then some of a body: S3 and the API look at the type, not the pixels.
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(64)]);

  it('is the tenant name and the default colour, without a logo, until set', async () => {
    const res = await getBranding(ownerB, tenantB.id);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      displayName: tenantB.name,
      colour: DEFAULT_BRAND_COLOUR,
      locale: 'en',
      timezone: 'UTC',
      logo: null,
    });
  });

  it('takes a logo only among the tenant’s own small images, with the reason as a field error', async () => {
    const text = await uploadFile(t.app, as(owner), { name: 'notes.txt', contentType: 'text/plain', body: 'hello' });
    const big = await uploadFile(t.app, as(owner), {
      name: 'huge.png',
      contentType: 'image/png',
      body: new Uint8Array(2 * LOGO_MAX_BYTES),
    });
    const theirs = await uploadFile(t.app, as(ownerB, tenantB.id), {
      name: 'theirs.png',
      contentType: 'image/png',
      body: png,
    });
    const before = (await getBranding(owner)).data;
    const cases: Array<[string, RegExp]> = [
      [text.id, /PNG, JPEG, WebP or GIF.*text\/plain/],
      [big.id, /at most 1 MB \(1,048,576 bytes\); huge\.png is 2,097,152 bytes/],
      [theirs.id, /No uploaded file/],
      [randomUUID(), /No uploaded file/],
    ];
    for (const [id, message] of cases) {
      const res = await setLogo(id);
      expect(res.status, id).toBe(400);
      expect(res.body.error?.data.appCode).toBe('VALIDATION_FAILED');
      expect(res.body.error?.data.zodError?.fieldErrors.logoFileId?.join(' ')).toMatch(message);
    }
    expect((await getBranding(owner)).data.logo?.fileId).toBe(before.logo?.fileId);
  });

  it('shows every member the logo through a presigned URL, and drops it once the file is deleted', async () => {
    const logo = await uploadFile(t.app, as(owner), { name: 'Logo A.png', contentType: 'image/png', body: png });
    const set = await setLogo(logo.id);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.data.settings.branding.logoFileId).toBe(logo.id);

    const res = await getBranding(users.viewer);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ displayName: 'Branded A', colour: '#0f766e' });
    expect(res.data.logo).toMatchObject({ fileId: logo.id, name: 'Logo A.png' });
    expect(Date.parse(res.data.logo!.expiresAt)).toBeGreaterThan(Date.now() + 30 * 60_000);
    const image = await fetch(res.data.logo!.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(png);

    // Another tenant's branding never carries it.
    expect((await getBranding(ownerB, tenantB.id)).data.logo).toBeNull();

    expect((await call(t.app, 'mutation', 'files.delete', { id: logo.id }, as(owner))).status).toBe(200);
    expect((await getBranding(users.member)).data.logo).toBeNull();
    expect((await setLogo(null)).status).toBe(200);
  });
});

describe('secrets', () => {
  it('are write-only: the API shows a mask, the database holds no plaintext, readSecret decrypts', async () => {
    const value = plaintext('whsec_live');
    const set = await setSecret(owner, 'webhook.signing', value);
    expect(set.status).toBe(200);
    expect(set.data).toMatchObject({ name: 'webhook.signing', masked: `••••${value.slice(-4)}`, readable: true });
    const short = await setSecret(owner, 'pin', 'abc12345678');
    expect(short.data.masked).toBe('••••');

    const got = await getConfig(owner);
    expect(got.data.secrets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'webhook.signing', masked: `••••${value.slice(-4)}`, readable: true }),
        expect.objectContaining({ name: 'pin', masked: '••••' }),
      ]),
    );
    for (const body of [set.body, got.body]) expect(JSON.stringify(body)).not.toContain(value);

    // Nowhere in the tenant's tables (config, audit_log, …), in clear or base64, nor in a log line.
    const rows = await db.query(`select * from ${configTable(tenant.id)}`);
    const everything = JSON.stringify(await snapshotTenant(db, tenant.id));
    for (const haystack of [JSON.stringify(rows), everything, t.rawLogs()]) {
      expect(haystack).not.toContain(value);
      expect(haystack).not.toContain(value.slice(0, 20));
      expect(haystack).not.toContain(Buffer.from(value).toString('base64').slice(0, 20));
    }
    expect(await storedEnvelope(tenant.id, 'webhook.signing')).toMatchObject({
      v: 1,
      kid: t.app.services.keyring.currentKid,
    });

    expect(await read(tenant.id, 'webhook.signing')).toBe(value);
    expect(await read(tenant.id, 'pin')).toBe('abc12345678');
    expect(await read(tenant.id, 'absent')).toBeNull();
    expect(await read(tenantB.id, 'webhook.signing')).toBeNull();
  });

  it('are replaced and deleted, each change audited without its value', async () => {
    const first = plaintext('sk_first');
    const second = plaintext('sk_second');
    await setSecret(owner, 'third-party.api', first);
    const replaced = await setSecret(users.admin, 'third-party.api', second);
    expect(replaced.data.masked).toBe(`••••${second.slice(-4)}`);
    expect(await read(tenant.id, 'third-party.api')).toBe(second);

    const deleted = await call(t.app, 'mutation', 'config.deleteSecret', { name: 'third-party.api' }, as(owner));
    expect(deleted.status).toBe(200);
    expect((await getConfig(owner)).data.secrets?.map((s) => s.name)).not.toContain('third-party.api');
    expect(await read(tenant.id, 'third-party.api')).toBeNull();
    const again = await call(t.app, 'mutation', 'config.deleteSecret', { name: 'third-party.api' }, as(owner));
    expect(again.status).toBe(404);
    expect(again.body.error?.data.appCode).toBe('NOT_FOUND');

    const audit = await db.query<{ action: string; target_id: string; before: unknown; after: unknown }>(
      `select action, target_id, before, after from "${tenantSchemaName(tenant.id)}"."audit_log"
        where target_id = 'third-party.api' order by at`,
    );
    expect(audit).toEqual([
      {
        action: 'config.secret_set',
        target_id: 'third-party.api',
        before: null,
        after: { name: 'third-party.api', replaced: false },
      },
      {
        action: 'config.secret_set',
        target_id: 'third-party.api',
        before: null,
        after: { name: 'third-party.api', replaced: true },
      },
      {
        action: 'config.secret_deleted',
        target_id: 'third-party.api',
        before: { name: 'third-party.api' },
        after: null,
      },
    ]);
    const allAudit = JSON.stringify(await db.query(`select * from "${tenantSchemaName(tenant.id)}"."audit_log"`));
    for (const value of [first, second]) {
      expect(allAudit).not.toContain(value);
      expect(allAudit).not.toContain(value.slice(-4));
    }
  });

  it('of one tenant do not decrypt in another, even copied into its table', async () => {
    const value = plaintext('tenant_a_only');
    await setSecret(owner, 'copied', value);
    await storeEnvelope(tenantB.id, 'copied', await storedEnvelope(tenant.id, 'copied'));

    const error = await refusalOf(read(tenantB.id, 'copied'));
    expect(error.reason).toBe('tampered');
    expect(error.message).toContain(`tenant ${tenantB.id}`);
    expect(error.message).not.toContain(value);
    const seenByB = await getConfig(ownerB, tenantB.id);
    expect(seenByB.status).toBe(200);
    expect(seenByB.data.secrets).toEqual([
      expect.objectContaining({ name: 'copied', masked: '••••', readable: false }),
    ]);
    expect(JSON.stringify(seenByB.body)).not.toContain(value.slice(-4));
    // B can remove what it cannot read.
    expect(
      (await call(t.app, 'mutation', 'config.deleteSecret', { name: 'copied' }, as(ownerB, tenantB.id))).status,
    ).toBe(200);
    expect(await read(tenant.id, 'copied')).toBe(value);
  });

  it('refuse a tampered ciphertext, IV, tag or key id in the database', async () => {
    const value = plaintext('tamper');
    await setSecret(owner, 'tamper-me', value);
    const original = await storedEnvelope(tenant.id, 'tamper-me');
    const flip = (field: string) => {
      const bytes = Buffer.from(field, 'base64');
      bytes[bytes.length - 1]! ^= 0x80;
      return bytes.toString('base64');
    };
    const variants: Array<[string, SecretEnvelope, string]> = [
      ['ct', { ...original, ct: flip(original.ct) }, 'tampered'],
      ['iv', { ...original, iv: flip(original.iv) }, 'tampered'],
      ['tag', { ...original, tag: flip(original.tag) }, 'tampered'],
      ['kid', { ...original, kid: 'ffffffffffffffff' }, 'unknown_key'],
    ];
    for (const [field, envelope, reason] of variants) {
      await storeEnvelope(tenant.id, 'tamper-me', envelope);
      expect((await refusalOf(read(tenant.id, 'tamper-me'))).reason, field).toBe(reason);
      const listed = (await getConfig(owner)).data.secrets?.find((s) => s.name === 'tamper-me');
      expect(listed, field).toMatchObject({ masked: '••••', readable: false });
    }
    await storeEnvelope(tenant.id, 'tamper-me', original);
    expect(await read(tenant.id, 'tamper-me')).toBe(value);
    expect(t.rawLogs()).not.toContain(value);
  });
});
