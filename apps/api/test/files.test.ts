/**
 * Tenant files (issue 8, DESIGN §6): presigned POST uploads confirmed with HeadObject, the plan's storage
 * quota, the per-file maximum and the type allow-list, listing, downloads, deletion, the expiry sweep, and
 * isolation between tenants.
 *
 * The S3 server is whatever the global setup configured (s3rver in the api project, radosgw in api-radosgw):
 * its configuration comes only from stackEnv() and buildTestApp(), and nothing here relies on one server's
 * quirks. What only a server that checks policies can prove (a refused body) is in test/radosgw.
 */
import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditPage, FileModel, FilePage, PresignedUpload } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, type Orm } from '../src/db/orm.js';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { parseEnv } from '../src/env.js';
import { contentDisposition, expirePendingUploads, safeFileName, type FileStorage } from '../src/services/files.js';
import { createS3Client } from '../src/services/s3.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { postUpload, uploadFile } from './helpers/files.js';
import { createUser, stackEnv, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type CallOptions, type TestTenant } from './helpers/tenants.js';

const MAX_BYTES = 200_000;
let t: TestApp;
let db: Db;
let orm: Orm;
let s3: S3Client;
let storage: FileStorage;
let superadmin: TestUser;

beforeAll(async () => {
  t = await buildTestApp({ FILE_MAX_BYTES: String(MAX_BYTES) });
  db = await connectDb();
  const env = parseEnv({ ...stackEnv(), NODE_ENV: 'test' });
  s3 = createS3Client(env);
  storage = { s3, bucket: env.S3_BUCKET };
  orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: 2 });
  superadmin = await createUser({ groups: ['superadmin'] });
});
afterAll(async () => {
  await orm?.close();
  s3?.destroy();
  await db?.close();
  await t?.close();
});

const as = (user: TestUser, tenant: TestTenant): CallOptions => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});

async function storageBytes(tenant: TestTenant): Promise<number> {
  const [row] = await db.query<{ storage_bytes: string }>('select storage_bytes from tenants where id = $1', [
    tenant.id,
  ]);
  return Number(row?.storage_bytes);
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

/** The tenant's `files` table, schema-qualified, for SQL behind the API's back. */
const filesTable = (tenant: Pick<TestTenant, 'id'>) => `"${tenantSchemaName(tenant.id)}".files`;

async function keyOf(tenant: TestTenant, fileId: string): Promise<string> {
  const rows = await db.query<{ key: string }>(`select key from ${filesTable(tenant)} where id = $1`, [fileId]);
  return rows[0]?.key ?? '';
}

async function createUpload(options: CallOptions, input: { name: string; size: number; contentType: string }) {
  return call<PresignedUpload>(t.app, 'mutation', 'files.createUpload', input, options);
}

describe('an upload', () => {
  let owner: TestUser;
  let tenant: TestTenant;
  const body = randomBytes(2345);
  let file: FileModel;

  beforeAll(async () => {
    ({ user: owner, tenant } = await ownerWithTenant(t.app));
  });

  it('goes straight to S3 under a key the server built, and is counted once confirmed', async () => {
    const created = await createUpload(as(owner, tenant), {
      name: 'Rapport été 2026.pdf',
      size: body.byteLength,
      contentType: 'application/pdf',
    });
    expect(created.status).toBe(200);
    const upload = created.data;
    expect(upload.method).toBe('POST');
    expect(upload.file).toMatchObject({ status: 'pending', size: 2345, contentType: 'application/pdf' });
    expect(upload.fields.key).toBe(`${tenant.id}/${upload.file.id}/Rapport_ete_2026.pdf`);
    expect(upload.fields['Content-Type']).toBe('application/pdf');
    // The policy pins the exact size and type.
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 2345, 2345],
        ['eq', '$Content-Type', 'application/pdf'],
      ]),
    );
    const expiresIn = new Date(upload.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);
    // Pending: reserved, not counted, not listed.
    expect(await storageBytes(tenant)).toBe(0);
    const listed = await call<FilePage>(t.app, 'query', 'files.list', {}, as(owner, tenant));
    expect(listed.data.items).toEqual([]);

    const sent = await postUpload(upload, body, 'application/pdf');
    expect(sent.ok).toBe(true);
    const completed = await call<FileModel>(
      t.app,
      'mutation',
      'files.completeUpload',
      { id: upload.file.id },
      as(owner, tenant),
    );
    expect(completed.status).toBe(200);
    file = completed.data;
    expect(file).toMatchObject({
      id: upload.file.id,
      name: 'Rapport été 2026.pdf',
      status: 'ready',
      size: 2345,
      uploadedByEmail: owner.email.toLowerCase(),
    });
    expect(file.completedAt).not.toBeNull();
    expect(await storageBytes(tenant)).toBe(2345);
  });

  it('is counted once when confirmed twice', async () => {
    const again = await call<FileModel>(t.app, 'mutation', 'files.completeUpload', { id: file.id }, as(owner, tenant));
    expect(again.status).toBe(200);
    expect(again.data).toEqual(file);
    expect(await storageBytes(tenant)).toBe(2345);
    // Every member reads the storage in use with the organisation (the files page's bar).
    const viewer = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: viewer.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, viewer.email), 'viewer');
    const current = await call<{ storageBytes: number }>(
      t.app,
      'query',
      'tenants.current',
      undefined,
      as(viewer, tenant),
    );
    expect(current.data.storageBytes).toBe(2345);
  });

  it('downloads with the same bytes, under its original name', async () => {
    const link = await call<{ url: string; expiresAt: string }>(
      t.app,
      'query',
      'files.getDownloadUrl',
      { id: file.id },
      as(owner, tenant),
    );
    expect(link.status).toBe(200);
    expect(new Date(link.data.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    const res = await fetch(link.data.url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Rapport _t_ 2026.pdf"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9%202026.pdf`,
    );
  });

  it('is in the audit log', async () => {
    const audit = await call<AuditPage>(t.app, 'query', 'audit.list', { action: 'file.uploaded' }, as(owner, tenant));
    expect(audit.status).toBe(200);
    expect(audit.data.items).toEqual([
      expect.objectContaining({
        action: 'file.uploaded',
        targetId: file.id,
        after: { name: 'Rapport été 2026.pdf', size: 2345, contentType: 'application/pdf' },
      }),
    ]);
  });

  it('is deleted with its object, and the storage goes back down', async () => {
    const key = await keyOf(tenant, file.id);
    expect(key).toBe(`${tenant.id}/${file.id}/Rapport_ete_2026.pdf`);
    expect(await objectExists(key)).toBe(true);
    const removed = await call(t.app, 'mutation', 'files.delete', { id: file.id }, as(owner, tenant));
    expect(removed.status).toBe(200);
    expect(await objectExists(key)).toBe(false);
    expect(await storageBytes(tenant)).toBe(0);
    const link = await call(t.app, 'query', 'files.getDownloadUrl', { id: file.id }, as(owner, tenant));
    expect(link.body.error?.data.appCode).toBe('NOT_FOUND');
    const again = await call(t.app, 'mutation', 'files.delete', { id: file.id }, as(owner, tenant));
    expect(again.body.error?.data.appCode).toBe('NOT_FOUND');
    const audit = await call<AuditPage>(t.app, 'query', 'audit.list', { action: 'file.deleted' }, as(owner, tenant));
    expect(audit.data.items).toHaveLength(1);
    expect(audit.data.items[0]).toMatchObject({
      targetId: file.id,
      before: { name: 'Rapport été 2026.pdf', status: 'ready', size: 2345 },
    });
  });

  it('never takes storage below zero', async () => {
    const uploaded = await uploadFile(t.app, as(owner, tenant), {
      name: 'small.txt',
      contentType: 'text/plain',
      body: 'twelve bytes',
    });
    await db.query('update tenants set storage_bytes = 5 where id = $1', [tenant.id]);
    expect((await call(t.app, 'mutation', 'files.delete', { id: uploaded.id }, as(owner, tenant))).status).toBe(200);
    expect(await storageBytes(tenant)).toBe(0);
  });
});

describe('what an upload is checked against', () => {
  let owner: TestUser;
  let tenant: TestTenant;

  beforeAll(async () => {
    ({ user: owner, tenant } = await ownerWithTenant(t.app));
  });

  it('refuses types outside the allow-list', async () => {
    const refused = await createUpload(as(owner, tenant), {
      name: 'setup.exe',
      size: 10,
      contentType: 'application/x-msdownload',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.data.appCode).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(refused.body.error?.message).toContain('application/x-msdownload');
    // A family entry (image/*) lets every image type through.
    const image = await createUpload(as(owner, tenant), { name: 'a.webp', size: 10, contentType: 'image/webp' });
    expect(image.status).toBe(200);
  });

  it('refuses a file over the per-file maximum', async () => {
    const refused = await createUpload(as(owner, tenant), {
      name: 'big.pdf',
      size: MAX_BYTES + 1,
      contentType: 'application/pdf',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.data.appCode).toBe('FILE_TOO_LARGE');
    expect(refused.body.error?.message).toBe('This file (200.0 kB) is larger than the 200.0 kB a file may be');
  });

  it('refuses what would exceed the plan’s storage, counting uploads in flight', async () => {
    const { user: quotaOwner, tenant: small } = await ownerWithTenant(t.app);
    const set = await call(
      t.app,
      'mutation',
      'admin.tenants.setPlan',
      { tenantId: small.id, plan: 'custom', overrides: { storageBytes: 100_000 } },
      { token: superadmin.tokens.accessToken },
    );
    expect(set.status).toBe(200);
    const opts = as(quotaOwner, small);
    await uploadFile(t.app, opts, { name: 'stored.bin', contentType: 'application/zip', body: randomBytes(40_000) });
    expect(await storageBytes(small)).toBe(40_000);
    // In flight: reserved until it completes or expires.
    const pending = await createUpload(opts, { name: 'pending.zip', size: 50_000, contentType: 'application/zip' });
    expect(pending.status).toBe(200);
    const refused = await createUpload(opts, {
      name: 'one too many.zip',
      size: 12_000,
      contentType: 'application/zip',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.data.appCode).toBe('PLAN_LIMIT');
    expect(refused.body.error?.message).toBe(
      'This file (12.0 kB) would take storage to 102.0 kB where the plan allows 100.0 kB',
    );
    // What still fits is accepted.
    expect((await createUpload(opts, { name: 'fits.zip', size: 10_000, contentType: 'application/zip' })).status).toBe(
      200,
    );
    // An expired reservation no longer counts.
    await db.query(`update ${filesTable(small)} set expires_at = now() - interval '1 minute'`);
    expect((await createUpload(opts, { name: 'later.zip', size: 50_000, contentType: 'application/zip' })).status).toBe(
      200,
    );
  });

  it('refuses to confirm an upload that has not arrived', async () => {
    const created = await createUpload(as(owner, tenant), { name: 'notyet.txt', size: 5, contentType: 'text/plain' });
    const early = await call(
      t.app,
      'mutation',
      'files.completeUpload',
      { id: created.data.file.id },
      as(owner, tenant),
    );
    expect(early.status).toBe(409);
    expect(early.body.error?.data.appCode).toBe('UPLOAD_NOT_FINISHED');
    expect(early.body.error?.message).toBe(
      'The upload of notyet.txt is not finished: send the file to the upload URL first',
    );
  });

  it('refuses and removes an object of another size than promised', async () => {
    const created = await createUpload(as(owner, tenant), { name: 'ten.txt', size: 10, contentType: 'text/plain' });
    const key = created.data.fields.key!;
    // Behind the policy's back, with the bucket's own credentials.
    await s3.send(
      new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: 'eleven byte', ContentType: 'text/plain' }),
    );
    const done = await call(t.app, 'mutation', 'files.completeUpload', { id: created.data.file.id }, as(owner, tenant));
    expect(done.status).toBe(400);
    expect(done.body.error?.data.appCode).toBe('UPLOAD_MISMATCH');
    expect(done.body.error?.message).toBe(
      'The upload of ten.txt was refused and removed: 11 bytes arrived where 10 bytes were announced',
    );
    expect(await objectExists(key)).toBe(false);
    const again = await call(
      t.app,
      'mutation',
      'files.completeUpload',
      { id: created.data.file.id },
      as(owner, tenant),
    );
    expect(again.body.error?.data.appCode).toBe('NOT_FOUND');
    expect(await storageBytes(tenant)).toBe(0);
  });

  it('refuses and removes an object of another type than promised', async () => {
    const created = await createUpload(as(owner, tenant), { name: 'a.csv', size: 4, contentType: 'text/csv' });
    const key = created.data.fields.key!;
    await s3.send(new PutObjectCommand({ Bucket: storage.bucket, Key: key, Body: 'a,b\n', ContentType: 'text/html' }));
    const done = await call(t.app, 'mutation', 'files.completeUpload', { id: created.data.file.id }, as(owner, tenant));
    expect(done.body.error?.data.appCode).toBe('UPLOAD_MISMATCH');
    expect(done.body.error?.message).toContain('it arrived as text/html where text/csv was announced');
    expect(await objectExists(key)).toBe(false);
  });
});

describe('the list', () => {
  let owner: TestUser;
  let tenant: TestTenant;
  let viewer: TestUser;
  const uploaded: FileModel[] = [];
  const names = (page: FilePage) => page.items.map((f) => f.name);

  beforeAll(async () => {
    ({ user: owner, tenant } = await ownerWithTenant(t.app));
    viewer = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, { token: viewer.tokens.accessToken });
    await addMembership(db, tenant.id, await userIdByEmail(db, viewer.email), 'viewer');
    const files = [
      { name: 'Quarterly report.pdf', contentType: 'application/pdf', body: randomBytes(300) },
      { name: 'team photo.png', contentType: 'image/png', body: randomBytes(500) },
      { name: 'notes.txt', contentType: 'text/plain', body: randomBytes(100) },
      { name: 'annual REPORT.csv', contentType: 'text/csv', body: randomBytes(400) },
      { name: 'logo.jpeg', contentType: 'image/jpeg', body: randomBytes(200) },
    ];
    for (const f of files) uploaded.push(await uploadFile(t.app, as(owner, tenant), f));
    // A pending upload is not listed.
    await createUpload(as(owner, tenant), { name: 'report in flight.pdf', size: 9, contentType: 'application/pdf' });
  });

  const list = async (input: Record<string, unknown>, user = owner) => {
    const res = await call<FilePage>(t.app, 'query', 'files.list', input, as(user, tenant));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.data;
  };

  it('shows ready files, newest first, to viewers too', async () => {
    const page = await list({}, viewer);
    expect(names(page)).toEqual(uploaded.map((f) => f.name).reverse());
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toMatchObject({ status: 'ready', uploadedByEmail: owner.email.toLowerCase() });
  });

  it('searches names, case-insensitively', async () => {
    expect(names(await list({ search: 'report' })).sort()).toEqual(['Quarterly report.pdf', 'annual REPORT.csv']);
    expect(names(await list({ search: '%' }))).toEqual([]);
  });

  it('filters by type or type family', async () => {
    expect(names(await list({ type: 'image/' })).sort()).toEqual(['logo.jpeg', 'team photo.png']);
    expect(names(await list({ type: 'image/*' })).sort()).toEqual(['logo.jpeg', 'team photo.png']);
    expect(names(await list({ type: 'text/plain' }))).toEqual(['notes.txt']);
  });

  it('sorts by name, size and age', async () => {
    expect(names(await list({ sort: 'name' }))).toEqual(
      [...uploaded].map((f) => f.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    expect((await list({ sort: 'largest' })).items.map((f) => f.size)).toEqual([500, 400, 300, 200, 100]);
    expect(names(await list({ sort: 'oldest' }))).toEqual(uploaded.map((f) => f.name));
  });

  it('pages through every order with the same result', async () => {
    for (const sort of ['newest', 'oldest', 'name', 'largest'] as const) {
      const all = names(await list({ sort }));
      const paged: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list({ sort, limit: 2, ...(cursor ? { cursor } : {}) });
        paged.push(...names(page));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(paged, sort).toEqual(all);
      expect(pages).toBe(3);
    }
  });

  it('refuses a cursor of another order', async () => {
    const first = await list({ sort: 'name', limit: 2 });
    const res = await call(
      t.app,
      'query',
      'files.list',
      { sort: 'largest', cursor: first.nextCursor },
      as(owner, tenant),
    );
    expect(res.status).toBe(400);
    expect(res.body.error?.data.appCode).toBe('VALIDATION_FAILED');
  });
});

describe('the expiry sweep', () => {
  it('removes pending uploads past their expiry, with any object, in ready tenants only', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const { user: otherOwner, tenant: leaving } = await ownerWithTenant(t.app);
    const opts = as(owner, tenant);
    const sent = await createUpload(opts, { name: 'sent.txt', size: 4, contentType: 'text/plain' });
    expect((await postUpload(sent.data, new TextEncoder().encode('sent'), 'text/plain')).ok).toBe(true);
    const never = await createUpload(opts, { name: 'never.txt', size: 4, contentType: 'text/plain' });
    const fresh = await createUpload(opts, { name: 'fresh.txt', size: 4, contentType: 'text/plain' });
    const ready = await uploadFile(t.app, opts, { name: 'ready.txt', contentType: 'text/plain', body: 'done' });
    const kept = await createUpload(as(otherOwner, leaving), { name: 'kept.txt', size: 4, contentType: 'text/plain' });

    await db.query(
      `update ${filesTable(tenant)} set expires_at = now() - interval '1 minute' where id = any($1::uuid[])`,
      [[sent.data.file.id, never.data.file.id, ready.id]],
    );
    await db.query(`update ${filesTable(leaving)} set expires_at = now() - interval '1 minute'`);
    await db.query(`update tenants set status = 'deleting' where id = $1`, [leaving.id]);

    const result = await expirePendingUploads(orm, storage, { tenantIds: [tenant.id, leaving.id] });
    expect(result).toEqual({ tenants: 1, removed: 2 });
    const left = await db.query<{ id: string }>(`select id from ${filesTable(tenant)} order by name`);
    expect(left.map((r) => r.id).sort()).toEqual([fresh.data.file.id, ready.id].sort());
    expect(await objectExists(sent.data.fields.key!)).toBe(false);
    expect(await objectExists(await keyOf(tenant, ready.id))).toBe(true);
    // The tenant being deleted is left to its purge.
    const leavingRows = await db.query<{ id: string }>(`select id from ${filesTable(leaving)}`);
    expect(leavingRows.map((r) => r.id)).toEqual([kept.data.file.id]);
    const expired = await call(t.app, 'mutation', 'files.completeUpload', { id: sent.data.file.id }, opts);
    expect(expired.body.error?.data.appCode).toBe('NOT_FOUND');
    // Run again: nothing left to do.
    expect(await expirePendingUploads(orm, storage, { tenantIds: [tenant.id] })).toEqual({ tenants: 1, removed: 0 });
  });

  it('is scheduled by the API’s worker as a recurring job', async () => {
    // graphile-worker records each cron item it schedules, by identifier, when its runner starts.
    const rows = await db.query<{ identifier: string }>(
      `select identifier from graphile_worker._private_known_crontabs where identifier = 'files_expire_uploads'`,
    );
    expect(rows).toEqual([{ identifier: 'files_expire_uploads' }]);
  });
});

describe('between tenants', () => {
  it('B cannot list, confirm, download or delete A’s files by id', async () => {
    const { user: ownerA, tenant: a } = await ownerWithTenant(t.app);
    const { user: ownerB, tenant: b } = await ownerWithTenant(t.app);
    const fileA = await uploadFile(t.app, as(ownerA, a), {
      name: 'alpha-only.txt',
      contentType: 'text/plain',
      body: 'for A only',
    });
    const pendingA = await createUpload(as(ownerA, a), {
      name: 'alpha-pending.txt',
      size: 3,
      contentType: 'text/plain',
    });
    const inB = as(ownerB, b);
    const listed = await call<FilePage>(t.app, 'query', 'files.list', {}, inB);
    expect(listed.data.items).toEqual([]);
    for (const [kind, path, id] of [
      ['mutation', 'files.completeUpload', pendingA.data.file.id],
      ['mutation', 'files.completeUpload', fileA.id],
      ['query', 'files.getDownloadUrl', fileA.id],
      ['mutation', 'files.delete', fileA.id],
      ['mutation', 'files.delete', pendingA.data.file.id],
    ] as const) {
      const own = await call(t.app, kind, path, { id }, inB);
      expect(own.body.error?.data.appCode, `${path} in B`).toBe('NOT_FOUND');
      const intoA = await call(t.app, kind, path, { id }, as(ownerB, a));
      expect(['FORBIDDEN', 'NOT_FOUND'], `${path} naming A`).toContain(intoA.body.error?.data.appCode);
    }
    // A's file is whole: still listed, counted and downloadable.
    const stillA = await call<FilePage>(t.app, 'query', 'files.list', {}, as(ownerA, a));
    expect(stillA.data.items.map((f) => f.id)).toEqual([fileA.id]);
    expect(await storageBytes(a)).toBe(10);
    expect(await storageBytes(b)).toBe(0);
  });
});

describe('names', () => {
  it('keys keep a safe form of the name with its extension', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\Désiré résumé.PDF')).toBe('Desire_resume.PDF');
    expect(safeFileName('..hidden')).toBe('hidden');
    expect(safeFileName('日本語.txt')).toBe('file.txt');
    const long = safeFileName(`${'a'.repeat(300)}.docx`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('.docx')).toBe(true);
  });

  it('downloads carry the exact name in RFC 5987 form', () => {
    expect(contentDisposition('plain.txt')).toBe(`attachment; filename="plain.txt"; filename*=UTF-8''plain.txt`);
    expect(contentDisposition('say "hi" (1)*.txt')).toBe(
      `attachment; filename="say _hi_ (1)*.txt"; filename*=UTF-8''say%20%22hi%22%20%281%29%2A.txt`,
    );
  });
});
