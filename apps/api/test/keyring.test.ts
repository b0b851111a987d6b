import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TenantConfig } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, type Orm } from '../src/db/orm.js';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import {
  createKeyring,
  decodeMasterKey,
  masterKeyId,
  SecretDecryptionError,
  type SecretEnvelope,
} from '../src/services/keyring.js';
import { readSecret, rotateMasterKey } from '../src/services/tenant-config.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { connectDb, isolatedDatabase, type Db } from './helpers/db.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';
import type { TestUser } from './helpers/stack-env.js';

const newKey = () => randomBytes(32);
const TENANT_A = '0b6f4a52-8d51-4a57-9f0e-6a1d1f0c2b11';
const TENANT_B = '7c2e9d40-1f3a-4b5c-8d6e-9f0a1b2c3d4e';

/** Flips one bit of a base64 field. */
function flip(field: string, at = 0): string {
  const bytes = Buffer.from(field, 'base64');
  bytes[at % bytes.length]! ^= 0x01;
  return bytes.toString('base64');
}

function refusal(run: () => unknown): SecretDecryptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretDecryptionError) return error;
    throw error;
  }
  throw new Error('decryption succeeded');
}

describe('keyring', () => {
  const master = newKey();
  const keyring = createKeyring(master);

  it('seals a value in an envelope that names its key and opens it again', () => {
    const envelope = keyring.encrypt(TENANT_A, 'webhook', 'whsec_live_0123456789abcdef');
    expect(envelope).toMatchObject({ v: 1, kid: masterKeyId(master) });
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
    expect(JSON.stringify(envelope)).not.toContain('whsec_live');
    expect(keyring.decrypt(TENANT_A, 'webhook', envelope)).toBe('whsec_live_0123456789abcdef');
    // A fresh IV every time: the same value never gives the same ciphertext.
    expect(keyring.encrypt(TENANT_A, 'webhook', 'whsec_live_0123456789abcdef').ct).not.toBe(envelope.ct);
    expect(keyring.needsRotation(envelope)).toBe(false);
  });

  it('refuses a tampered ciphertext, IV or tag, another key id, and a malformed envelope', () => {
    const envelope = keyring.encrypt(TENANT_A, 'api-key', 'sk_test_abcdefghijklmnop');
    const tampered: Array<[string, SecretEnvelope]> = [
      ['ct', { ...envelope, ct: flip(envelope.ct, 3) }],
      ['iv', { ...envelope, iv: flip(envelope.iv) }],
      ['tag', { ...envelope, tag: flip(envelope.tag, 15) }],
    ];
    for (const [field, changed] of tampered) {
      const error = refusal(() => keyring.decrypt(TENANT_A, 'api-key', changed));
      expect(error.reason, field).toBe('tampered');
      expect(error.message).toMatch(/Secret "api-key" of tenant .* cannot be decrypted: authentication failed/);
      expect(error.message).not.toContain('sk_test');
    }
    const otherKid = refusal(() => keyring.decrypt(TENANT_A, 'api-key', { ...envelope, kid: '0123456789abcdef' }));
    expect(otherKid.reason).toBe('unknown_key');
    expect(otherKid.message).toContain('MASTER_KEYS_PREVIOUS');
    expect(refusal(() => keyring.decrypt(TENANT_A, 'api-key', { ...envelope, v: 2 })).reason).toBe('malformed');
    expect(refusal(() => keyring.decrypt(TENANT_A, 'api-key', 'sk_test_abcdefghijklmnop')).reason).toBe('malformed');
  });

  it('binds a value to its tenant and its name', () => {
    const envelope = keyring.encrypt(TENANT_A, 'api-key', 'sk_test_abcdefghijklmnop');
    expect(refusal(() => keyring.decrypt(TENANT_B, 'api-key', envelope)).reason).toBe('tampered');
    expect(refusal(() => keyring.decrypt(TENANT_A, 'other-key', envelope)).reason).toBe('tampered');
    // Another master key with the same key id cannot exist; a keyring without A's master key does not know it.
    expect(refusal(() => createKeyring(newKey()).decrypt(TENANT_A, 'api-key', envelope)).reason).toBe('unknown_key');
  });

  it('opens values of previous master keys and says they need rotation', () => {
    const next = createKeyring(newKey(), [master]);
    const old = keyring.encrypt(TENANT_A, 'api-key', 'sk_test_abcdefghijklmnop');
    expect(next.decrypt(TENANT_A, 'api-key', old)).toBe('sk_test_abcdefghijklmnop');
    expect(next.needsRotation(old)).toBe(true);
    expect(next.needsRotation(next.encrypt(TENANT_A, 'api-key', 'x'))).toBe(false);
    expect(next.kids).toEqual([next.currentKid, masterKeyId(master)]);
  });

  it('decodes master keys as MASTER_KEY takes them', () => {
    const key = newKey();
    expect(decodeMasterKey(key.toString('base64')).equals(key)).toBe(true);
    expect(decodeMasterKey(key.toString('hex')).equals(key)).toBe(true);
    expect(() => decodeMasterKey(randomBytes(16).toString('base64'))).toThrow(/32 random bytes/);
  });
});

/**
 * Rotation runs over every tenant of a database, so it gets a database of its own: the other files'
 * tenants (sealed with the run's master key) must not be re-encrypted behind their backs.
 */
describe('master key rotation', () => {
  const oldKey = newKey();
  const newerKey = newKey();
  let database: { url: string; drop: () => Promise<void> };
  let t: TestApp;
  let db: Db;
  let orm: Orm;
  const tenants: Array<{ owner: TestUser; tenant: TestTenant; secrets: { webhook: string; 'api.key': string } }> = [];

  beforeAll(async () => {
    database = await isolatedDatabase('tenantry_rotation');
    t = await buildTestApp({
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '4',
      MASTER_KEY: oldKey.toString('base64'),
    });
    db = await connectDb(database.url);
    orm = await createOrm({ databaseUrl: database.url, poolMax: 2 });
    for (const n of [1, 2, 3]) {
      const { user: owner, tenant } = await ownerWithTenant(t.app, `Rotation ${n} ${Date.now()}`);
      const secrets = { webhook: `whsec_rotation_${n}_${randomBytes(8).toString('hex')}`, 'api.key': `k${n}` };
      for (const [name, value] of Object.entries(secrets)) {
        const res = await call(
          t.app,
          'mutation',
          'config.setSecret',
          { name, value },
          { token: owner.tokens.accessToken, headers: tenantHeader(tenant.id) },
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      tenants.push({ owner, tenant, secrets });
    }
  }, 120_000);
  afterAll(async () => {
    await orm?.close();
    await db?.close();
    await t?.close();
    await database?.drop();
  });

  const kidsOf = async (tenantId: string) =>
    (
      await db.query<{ value: SecretEnvelope }>(
        `select value from "${tenantSchemaName(tenantId)}"."config" where secret order by key`,
      )
    ).map((r) => r.value.kid);

  it('re-encrypts every secret of every tenant under the new key, keeps them readable, and is idempotent', async () => {
    for (const { tenant } of tenants)
      expect(await kidsOf(tenant.id)).toEqual([masterKeyId(oldKey), masterKeyId(oldKey)]);

    const rotating = createKeyring(newerKey, [oldKey]);
    const report = await rotateMasterKey(orm.em.fork(), rotating);
    expect(report).toMatchObject({ currentKid: masterKeyId(newerKey), secrets: 6, reEncrypted: 6, failed: 0 });
    expect(report.tenants.map((r) => r.tenantId).sort()).toEqual(tenants.map((x) => x.tenant.id).sort());

    // Only the new key is needed from now on.
    const newOnly = createKeyring(newerKey);
    for (const { tenant, secrets } of tenants) {
      expect(await kidsOf(tenant.id)).toEqual([masterKeyId(newerKey), masterKeyId(newerKey)]);
      for (const [name, value] of Object.entries(secrets)) {
        expect(await readSecret(orm.em.fork(), tenant.id, name, newOnly)).toBe(value);
      }
    }
    expect(await rotateMasterKey(orm.em.fork(), rotating)).toMatchObject({ secrets: 6, reEncrypted: 0, failed: 0 });

    // An API started with only the new key shows every secret as readable.
    const after = await buildTestApp(
      { DATABASE_URL: database.url, MASTER_KEY: newerKey.toString('base64') },
      { worker: false },
    );
    try {
      for (const { owner, tenant, secrets } of tenants) {
        const res = await call<TenantConfig>(after.app, 'query', 'config.get', undefined, {
          token: owner.tokens.accessToken,
          headers: tenantHeader(tenant.id),
        });
        expect(res.data.secrets).toEqual([
          expect.objectContaining({ name: 'api.key', masked: '••••', readable: true }),
          expect.objectContaining({ name: 'webhook', masked: `••••${secrets.webhook.slice(-4)}`, readable: true }),
        ]);
      }
    } finally {
      await after.close();
    }
  });

  it('runs as `cli rotate-master-key`, printing the counts, and reports secrets no key opens', async () => {
    const apiDir = fileURLToPath(new URL('..', import.meta.url));
    const thirdKey = newKey();
    const cli = async (env: Record<string, string>) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', '--conditions=@tenantry/source', 'src/cli/index.ts', 'rotate-master-key'],
          { cwd: apiDir, env: { PATH: process.env.PATH ?? '', ...env } },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    const env = {
      DATABASE_URL: database.url,
      MASTER_KEY: thirdKey.toString('base64'),
      MASTER_KEYS_PREVIOUS: `${oldKey.toString('base64')}, ${newerKey.toString('hex')}`,
    };
    const first = await cli(env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`under master key ${masterKeyId(thirdKey)}`);
    expect(first.stdout).toContain('6 secret(s) re-encrypted, 0 already current, 0 unreadable, in 3 tenant(s).');
    const again = await cli(env);
    expect(again.stdout).toContain('0 secret(s) re-encrypted, 6 already current, 0 unreadable, in 3 tenant(s).');
    for (const { tenant } of tenants)
      expect(await kidsOf(tenant.id)).toEqual([masterKeyId(thirdKey), masterKeyId(thirdKey)]);

    // A new key without the one that sealed the secrets: nothing is lost, the command fails and says why.
    const lost = await cli({ DATABASE_URL: database.url, MASTER_KEY: newKey().toString('base64') });
    expect(lost.code).toBe(1);
    expect(lost.stdout).toContain('0 secret(s) re-encrypted, 0 already current, 6 unreadable');
    expect(lost.stderr).toContain('add the key that sealed them to MASTER_KEYS_PREVIOUS');
    for (const { tenant } of tenants)
      expect(await kidsOf(tenant.id)).toEqual([masterKeyId(thirdKey), masterKeyId(thirdKey)]);

    const usage = await cli({ DATABASE_URL: database.url });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Set MASTER_KEY to the new master key');
  });
});
