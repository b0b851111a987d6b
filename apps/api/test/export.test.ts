import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportManifest, type DownloadUrl, type FileModel, type TenantExport } from '@tenantry/shared';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { exportKey, runTenantExport } from '../src/services/tenant-export.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { uploadFile } from './helpers/files.js';
import { createUser, type TestUser } from './helpers/stack-env.js';
import { call, createReadyTenant, tenantHeader, type CallOptions, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;
let owner: TestUser;
let tenant: TestTenant;
const users: Partial<Record<'admin' | 'member' | 'viewer', TestUser>> = {};
const uploaded: Array<{ file: FileModel; body: Uint8Array }> = [];

const as = (user: TestUser, id = tenant.id): CallOptions => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(id),
});
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function waitForExport(options: CallOptions, id: string, until: TenantExport['status'][] = ['ready', 'failed']) {
  let last: TenantExport | undefined;
  await expect
    .poll(
      async () => {
        const res = await call<TenantExport[]>(t.app, 'query', 'tenants.exports', undefined, options);
        last = res.data.find((e) => e.id === id);
        return last?.status;
      },
      { timeout: 30_000, interval: 100 },
    )
    .toSatisfy((s) => until.includes(s as TenantExport['status']));
  return last!;
}

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
  owner = await createUser();
  tenant = await createReadyTenant(t.app, owner, `Export Org ${Date.now()}`);
  await db.query(`update tenants set plan = 'premium' where id = $1`, [tenant.id]);
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const user = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, user.email), role);
    users[role] = user;
  }
  for (const name of ['Export ward', 'Export lab', 'Export «ünïcode» 🚀']) {
    expect((await call(t.app, 'mutation', 'projects.create', { name }, as(owner))).status).toBe(200);
  }
  expect(
    (await call(t.app, 'mutation', 'config.set', { key: 'timezone', value: 'Europe/Paris' }, as(owner))).status,
  ).toBe(200);
  const binary = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) % 256);
  const text = new TextEncoder().encode('plain text file for the export\n');
  for (const [name, contentType, body] of [
    ['scan.png', 'image/png', binary],
    ['notes.txt', 'text/plain', text],
  ] as const) {
    uploaded.push({ file: await uploadFile(t.app, as(owner), { name, contentType, body }), body });
  }
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('tenants.export', () => {
  it('writes one archive that holds every row of every table and every file, as its manifest says', async () => {
    const started = await call<TenantExport>(t.app, 'mutation', 'tenants.export', undefined, as(owner));
    expect(started.status).toBe(200);
    expect(started.data).toMatchObject({ status: 'queued', progress: 0 });
    expect(started.data.requestedBy).toEqual(expect.any(String));
    const done = await waitForExport(as(owner), started.data.id);
    expect(done).toMatchObject({ status: 'ready', progress: 100, error: null });
    expect(done.size).toBeGreaterThan(0);

    const link = await call<DownloadUrl>(t.app, 'query', 'tenants.exportDownloadUrl', { id: done.id }, as(owner));
    expect(link.status).toBe(200);
    const res = await fetch(link.data.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`${tenant.slug}-export-`);
    const archive = new Uint8Array(await res.arrayBuffer());
    expect(archive.byteLength).toBe(done.size);
    const entries = unzipSync(archive);

    const manifest = ExportManifest.parse(JSON.parse(new TextDecoder().decode(entries['manifest.json'])));
    expect(manifest.tenant).toEqual({ id: tenant.id, slug: tenant.slug, name: tenant.name });
    expect(manifest.excluded.map((e) => e.name)).toEqual(['exports']);

    const schema = tenantSchemaName(tenant.id);
    const tables = (
      await db.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'`,
        [schema],
      )
    ).map((r) => r.table_name);
    expect(manifest.tables.map((e) => e.name).sort()).toEqual(tables.filter((n) => n !== 'exports').sort());
    const [{ schema_version: version } = { schema_version: -1 }] = await db.query<{ schema_version: number }>(
      'select schema_version from tenants where id = $1',
      [tenant.id],
    );
    expect(manifest.schemaVersion).toBe(version);

    for (const entry of manifest.tables) {
      const bytes = entries[entry.path];
      expect(bytes, entry.path).toBeDefined();
      expect(sha256(bytes!)).toBe(entry.sha256);
      const lines = new TextDecoder().decode(bytes).split('\n').filter(Boolean);
      expect(lines).toHaveLength(entry.rows);
      const exported = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      let current = await db.query<{ row: Record<string, unknown> }>(
        `select to_jsonb(t) as row from "${schema}"."${entry.name}" t`,
      );
      // Written after the snapshot: the row saying the export is ready.
      if (entry.name === 'audit_log') current = current.filter((r) => r.row.action !== 'tenant.exported');
      const key = (r: Record<string, unknown>) => JSON.stringify(r, Object.keys(r).sort());
      expect(exported.map(key).sort(), entry.name).toEqual(current.map((r) => key(r.row)).sort());
    }
    expect(manifest.tables.find((e) => e.name === 'projects')?.rows).toBe(3);
    expect(manifest.tables.find((e) => e.name === 'files')?.rows).toBe(2);
    expect(manifest.tables.find((e) => e.name === 'audit_log')?.rows).toBeGreaterThanOrEqual(6);

    expect(manifest.files).toHaveLength(uploaded.length);
    for (const { file, body } of uploaded) {
      const listed = manifest.files.find((f) => f.id === file.id);
      expect(listed).toMatchObject({ name: file.name, size: body.byteLength, sha256: sha256(body) });
      expect(entries[listed!.path]).toEqual(body);
    }

    // Audited, both the request and the result; and the archive does not count as storage.
    const audit = await call<{ items: Array<{ action: string; targetId: string }> }>(
      t.app,
      'query',
      'audit.list',
      {},
      as(owner),
    );
    const actions = audit.data.items.filter((i) => i.targetId === done.id).map((i) => i.action);
    expect(actions.sort()).toEqual(['tenant.export_requested', 'tenant.exported']);
    const [{ storage_bytes: storage } = { storage_bytes: '-1' }] = await db.query<{ storage_bytes: string }>(
      'select storage_bytes from tenants where id = $1',
      [tenant.id],
    );
    expect(Number(storage)).toBe(uploaded.reduce((n, u) => n + u.body.byteLength, 0));
  });

  it('answers the export in flight instead of starting a second one', async () => {
    const id = randomUUID();
    const schema = tenantSchemaName(tenant.id);
    await db.query(
      `insert into "${schema}"."exports" (id, status, progress, key, created_at) values ($1, 'running', 40, $2, now())`,
      [id, exportKey(tenant.id, id)],
    );
    const again = await call<TenantExport>(t.app, 'mutation', 'tenants.export', undefined, as(users.admin!));
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ id, status: 'running', progress: 40 });
    // One left in flight for hours (its worker died on the last attempt) is given up and replaced.
    await db.query(`update "${schema}"."exports" set created_at = now() - interval '7 hours' where id = $1`, [id]);
    const fresh = await call<TenantExport>(t.app, 'mutation', 'tenants.export', undefined, as(users.admin!));
    expect(fresh.data.id).not.toBe(id);
    const [stale] = await db.query<{ status: string; error: string }>(
      `select status, error from "${schema}"."exports" where id = $1`,
      [id],
    );
    expect(stale).toEqual({ status: 'failed', error: 'The export was interrupted; start a new one' });
    await waitForExport(as(owner), fresh.data.id);
    await db.query(`delete from "${schema}"."exports" where id = $1`, [id]);
  });

  it('is for owners and admins: a member or viewer is refused', async () => {
    for (const role of ['member', 'viewer'] as const) {
      for (const [kind, path] of [
        ['mutation', 'tenants.export'],
        ['query', 'tenants.exports'],
      ] as const) {
        const res = await call(t.app, kind, path, undefined, as(users[role]!));
        expect(res.status, `${role} ${path}`).toBe(403);
        expect(res.body.error?.data.appCode).toBe('FORBIDDEN');
      }
    }
    expect((await call(t.app, 'query', 'tenants.exports', undefined, as(users.admin!))).status).toBe(200);
  });

  it('needs the plan feature data_export', async () => {
    const other = await createUser();
    const basic = await createReadyTenant(t.app, other);
    const res = await call(t.app, 'mutation', 'tenants.export', undefined, as(other, basic.id));
    expect(res.status).toBe(403);
    expect(res.body.error?.data.appCode).toBe('FEATURE_DISABLED');
    // Listing is allowed (it is empty); downloading needs the feature too.
    expect(
      (await call<TenantExport[]>(t.app, 'query', 'tenants.exports', undefined, as(other, basic.id))).data,
    ).toEqual([]);
  });

  it('keeps each tenant’s exports to itself', async () => {
    const mine = await call<TenantExport[]>(t.app, 'query', 'tenants.exports', undefined, as(owner));
    const ready = mine.data.find((e) => e.status === 'ready');
    expect(ready).toBeDefined();
    const ownerB = await createUser();
    const b = await createReadyTenant(t.app, ownerB);
    await db.query(`update tenants set plan = 'premium' where id = $1`, [b.id]);
    const listB = await call<TenantExport[]>(t.app, 'query', 'tenants.exports', undefined, as(ownerB, b.id));
    expect(listB.data.map((e) => e.id)).not.toContain(ready!.id);
    const inB = await call(t.app, 'query', 'tenants.exportDownloadUrl', { id: ready!.id }, as(ownerB, b.id));
    expect(inB.status).toBe(404);
    // Naming A explicitly: B is not a member of A.
    const inA = await call(t.app, 'query', 'tenants.exportDownloadUrl', { id: ready!.id }, as(ownerB, tenant.id));
    expect([403, 404]).toContain(inA.status);
    expect(inA.data).toBeUndefined();
    expect(JSON.stringify(inA.body)).not.toContain('X-Amz-Signature');
  });

  it('refuses to download an export that is not ready', async () => {
    const id = randomUUID();
    const schema = tenantSchemaName(tenant.id);
    await db.query(
      `insert into "${schema}"."exports" (id, status, progress, key, created_at) values ($1, 'running', 40, $2, now())`,
      [id, exportKey(tenant.id, id)],
    );
    const res = await call(t.app, 'query', 'tenants.exportDownloadUrl', { id }, as(owner));
    expect(res.status).toBe(409);
    await db.query(`delete from "${schema}"."exports" where id = $1`, [id]);
  });
});

describe('the tenant_export job', () => {
  const insertExport = async (tenantId: string) => {
    const id = randomUUID();
    await db.query(
      `insert into "${tenantSchemaName(tenantId)}"."exports" (id, status, progress, key, created_at) values ($1, 'queued', 0, $2, now())`,
      [id, exportKey(tenantId, id)],
    );
    return id;
  };
  const storage = () => ({ s3: t.app.services.s3, bucket: t.app.services.env.S3_BUCKET });

  it('fails clearly on its last attempt when a file’s object is gone, and leaves a ready export alone', async () => {
    const other = await createUser();
    const org = await createReadyTenant(t.app, other);
    const file = await uploadFile(t.app, as(other, org.id), {
      name: 'lost.txt',
      contentType: 'text/plain',
      body: 'soon gone',
    });
    const [{ key } = { key: '' }] = await db.query<{ key: string }>(
      `select key from "${tenantSchemaName(org.id)}"."files" where id = $1`,
      [file.id],
    );
    await storage().s3.send(new DeleteObjectCommand({ Bucket: storage().bucket, Key: key }));
    const id = await insertExport(org.id);
    const payload = { tenantId: org.id, exportId: id };
    await expect(
      runTenantExport(t.app.services.orm, storage(), payload, { attempt: 1, maxAttempts: 2 }),
    ).rejects.toThrow();
    const read = async () =>
      (
        await db.query<{ status: string; error: string | null; step: string | null }>(
          `select status, error, step from "${tenantSchemaName(org.id)}"."exports" where id = $1`,
          [id],
        )
      )[0];
    expect(await read()).toMatchObject({ status: 'running' });
    expect((await read())?.step).toContain('Retrying after an error');
    await expect(
      runTenantExport(t.app.services.orm, storage(), payload, { attempt: 2, maxAttempts: 2 }),
    ).rejects.toThrow();
    expect(await read()).toMatchObject({ status: 'failed' });
    expect((await read())?.error).toContain(file.id);

    // Once the file is gone properly, a new export is ready; running its job again changes nothing.
    expect((await call(t.app, 'mutation', 'files.delete', { id: file.id }, as(other, org.id))).status).toBe(200);
    const again = await insertExport(org.id);
    const second = { tenantId: org.id, exportId: again };
    expect(await runTenantExport(t.app.services.orm, storage(), second, { attempt: 1, maxAttempts: 1 })).toMatchObject({
      outcome: 'ready',
    });
    expect(await runTenantExport(t.app.services.orm, storage(), second, { attempt: 1, maxAttempts: 1 })).toEqual({
      outcome: 'skipped',
      reason: 'already ready',
    });
  });

  it('streams an archive bigger than one upload part (S3 multipart) intact', async () => {
    const other = await createUser();
    const org = await createReadyTenant(t.app, other);
    // Random bytes do not compress: the zip passes lib-storage's 5 MiB part size.
    const body = new Uint8Array(randomBytes(6 * 1024 * 1024));
    const file = await uploadFile(t.app, as(other, org.id), { name: 'big.bin', contentType: 'application/zip', body });
    const id = await insertExport(org.id);
    const result = await runTenantExport(
      t.app.services.orm,
      storage(),
      { tenantId: org.id, exportId: id },
      { attempt: 1, maxAttempts: 1 },
    );
    expect(result.outcome).toBe('ready');
    const object = await storage().s3.send(
      new GetObjectCommand({ Bucket: storage().bucket, Key: exportKey(org.id, id) }),
    );
    const archive = new Uint8Array(await object.Body!.transformToByteArray());
    expect(archive.byteLength).toBeGreaterThan(5 * 1024 * 1024);
    const entries = unzipSync(archive);
    const manifest = ExportManifest.parse(JSON.parse(new TextDecoder().decode(entries['manifest.json'])));
    const listed = manifest.files.find((f) => f.id === file.id);
    expect(listed?.sha256).toBe(sha256(body));
    // Compared as buffers: a deep equality of 6 MiB arrays takes the test runner tens of seconds.
    expect(Buffer.from(entries[listed!.path]!).equals(Buffer.from(body))).toBe(true);
  }, 60_000);

  it('does nothing for a tenant being deleted', async () => {
    const other = await createUser();
    const org = await createReadyTenant(t.app, other);
    const id = await insertExport(org.id);
    await db.query(`update tenants set status = 'deleting' where id = $1`, [org.id]);
    expect(
      await runTenantExport(
        t.app.services.orm,
        storage(),
        { tenantId: org.id, exportId: id },
        { attempt: 1, maxAttempts: 1 },
      ),
    ).toEqual({ outcome: 'skipped', reason: 'the tenant is deleting' });
  });
});
