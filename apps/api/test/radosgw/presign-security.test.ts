/**
 * What s3rver cannot prove: that the S3 server itself refuses every upload and download our presigned POSTs
 * and GETs do not allow. The presigned requests come from our own procedures (files.createUpload,
 * files.getDownloadUrl); only the expiry cases call the same service functions directly with a 1-second
 * lifetime, which the configuration does not allow (S3_UPLOAD_EXPIRES ≥ 60 s, downloads 300 s).
 * Runs only in the api-radosgw project (pnpm test:s3), against radosgw.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { DownloadUrl, FileModel, PresignedUpload } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TenantSchema, UserSchema } from '../../src/db/control/index.js';
import type { AuditContext } from '../../src/services/audit.js';
import { createUpload, fileSettingsOf, getDownloadUrl, safeFileName } from '../../src/services/files.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { postUpload, uploadFile } from '../helpers/files.js';
import { stackEnv, type TestUser } from '../helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from '../helpers/tenants.js';

let t: TestApp;
let a: { user: TestUser; tenant: TestTenant };
let b: { user: TestUser; tenant: TestTenant };

beforeAll(async () => {
  t = await buildTestApp();
  [a, b] = await Promise.all([ownerWithTenant(t.app, 'Radosgw A'), ownerWithTenant(t.app, 'Radosgw B')]);
});
afterAll(() => t.close());

const as = (owner: { user: TestUser; tenant: TestTenant }) => ({
  token: owner.user.tokens.accessToken,
  headers: tenantHeader(owner.tenant.id),
});

const bytes = (size: number) => Buffer.alloc(size, 'x');

async function requestUpload(
  owner: { user: TestUser; tenant: TestTenant },
  input: { name: string; size: number; contentType: string },
): Promise<PresignedUpload> {
  const res = await call<PresignedUpload>(t.app, 'mutation', 'files.createUpload', input, as(owner));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
}

/** Sends `body` to a presigned POST with some of its fields replaced; the S3 error code of a refusal. */
async function post(
  upload: Pick<PresignedUpload, 'url' | 'fields'>,
  body: Buffer,
  fields: Record<string, string> = {},
) {
  const sent = { ...upload.fields, ...fields };
  const res = await postUpload({ url: upload.url, fields: sent }, body, sent['Content-Type'] ?? '');
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] };
}

async function stored(key: string): Promise<boolean> {
  try {
    await t.app.services.s3.send(new HeadObjectCommand({ Bucket: stackEnv().S3_BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

const keyOf = (upload: PresignedUpload) => upload.fields.key ?? '';

/** Flips one hex digit of a signature: still well-formed, no longer valid. */
const tamper = (signature: string) => (signature.startsWith('0') ? '1' : '0') + signature.slice(1);

/** The completion of an upload the server refused: nothing arrived. */
async function completion(owner: { user: TestUser; tenant: TestTenant }, upload: PresignedUpload) {
  return call<FileModel>(t.app, 'mutation', 'files.completeUpload', { id: upload.file.id }, as(owner));
}

/** The service functions behind the procedures, bound to a tenant, for lifetimes the configuration refuses. */
async function serviceContext(owner: { user: TestUser; tenant: TestTenant }) {
  const { orm, s3, env } = t.app.services;
  const control = orm.em.fork();
  const tenant = await control.findOneOrFail(TenantSchema, { id: owner.tenant.id });
  const user = await control.findOneOrFail(UserSchema, { email: owner.user.email });
  const audit: AuditContext = {
    actorId: user.id,
    actorEmail: user.email,
    actorIsSuperadmin: false,
    requestId: 'presign-security',
    ip: '127.0.0.1',
    userAgent: null,
  };
  return {
    em: orm.em.fork({ schema: tenant.schemaName }),
    tenant,
    audit,
    storage: { s3, bucket: env.S3_BUCKET },
    settings: fileSettingsOf(env),
  };
}

describe('the radosgw suite', () => {
  it('runs against radosgw, which refuses a request signed with the wrong secret', async () => {
    const env = stackEnv();
    const wrong = new S3Client({
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: true,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: env.S3_BUCKET }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    wrong.destroy();
  });
});

describe('our presigned upload is enforced by the server', () => {
  it('stores a file that keeps to its policy, which then completes', async () => {
    const upload = await requestUpload(a, { name: 'report.pdf', size: 1000, contentType: 'application/pdf' });
    expect(await post(upload, bytes(1000))).toEqual({ status: 204, code: undefined });
    const done = await completion(a, upload);
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ status: 'ready', size: 1000, contentType: 'application/pdf' });
  });

  it('refuses a bigger body than promised, and a smaller one', async () => {
    const upload = await requestUpload(a, { name: 'notes.txt', size: 1000, contentType: 'text/plain' });
    expect(await post(upload, bytes(1001))).toEqual({ status: 400, code: 'EntityTooLarge' });
    expect(await post(upload, bytes(999))).toEqual({ status: 400, code: 'EntityTooSmall' });
    expect(await stored(keyOf(upload))).toBe(false);
    expect((await completion(a, upload)).body.error?.data.appCode).toBe('UPLOAD_NOT_FINISHED');
  });

  it('refuses another Content-Type than the one signed', async () => {
    const upload = await requestUpload(a, { name: 'notes.txt', size: 10, contentType: 'text/plain' });
    const res = await post(upload, bytes(10), { 'Content-Type': 'text/html' });
    expect(res).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await stored(keyOf(upload))).toBe(false);
  });

  it('refuses a tampered signature', async () => {
    const upload = await requestUpload(a, { name: 'notes.txt', size: 10, contentType: 'text/plain' });
    const signature = upload.fields['X-Amz-Signature'] ?? '';
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const res = await post(upload, bytes(10), { 'X-Amz-Signature': tamper(signature) });
    expect(res.status).toBe(403);
    expect(await stored(keyOf(upload))).toBe(false);
  });

  it("refuses tenant A's upload sent to tenant B's key", async () => {
    const forA = await requestUpload(a, { name: 'notes.txt', size: 10, contentType: 'text/plain' });
    const forB = await requestUpload(b, { name: 'notes.txt', size: 10, contentType: 'text/plain' });
    expect(keyOf(forA).startsWith(`${a.tenant.id}/`)).toBe(true);
    expect(keyOf(forB).startsWith(`${b.tenant.id}/`)).toBe(true);
    const res = await post(forA, bytes(10), { key: keyOf(forB) });
    expect(res).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await stored(keyOf(forB))).toBe(false);
    expect((await completion(b, forB)).body.error?.data.appCode).toBe('UPLOAD_NOT_FINISHED');
  });

  it('refuses an upload after its expiry', async () => {
    const ctx = await serviceContext(a);
    const upload = await createUpload(
      ctx.em,
      ctx.tenant,
      ctx.storage,
      { ...ctx.settings, uploadExpiresSeconds: 1 },
      { name: 'late.txt', size: 10, contentType: 'text/plain' },
      ctx.audit,
    );
    await sleep(2_100);
    expect(await post(upload, bytes(10))).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await stored(keyOf(upload))).toBe(false);
  });
});

describe('our presigned download is enforced by the server', () => {
  const body = Buffer.from('%PDF-1.7 tenant A only');
  let fileA: FileModel;
  let fileB: FileModel;
  let keyB: string;

  async function uploadReady(owner: { user: TestUser; tenant: TestTenant }, name: string) {
    const file = await uploadFile(t.app, as(owner), { name, contentType: 'application/pdf', body });
    return { file, key: `${owner.tenant.id}/${file.id}/${safeFileName(name)}` };
  }

  const downloadUrl = async (owner: { user: TestUser; tenant: TestTenant }, file: FileModel) => {
    const res = await call<DownloadUrl>(t.app, 'query', 'files.getDownloadUrl', { id: file.id }, as(owner));
    expect(res.status).toBe(200);
    return new URL(res.data.url);
  };

  beforeAll(async () => {
    fileA = (await uploadReady(a, 'Report (A).pdf')).file;
    ({ file: fileB, key: keyB } = await uploadReady(b, 'Report (B).pdf'));
  });

  it('serves the bytes under the original name to a valid URL', async () => {
    const res = await fetch(await downloadUrl(a, fileA));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('Report (A).pdf');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(body);
  });

  it('refuses a tampered signature', async () => {
    const url = await downloadUrl(a, fileA);
    url.searchParams.set('X-Amz-Signature', tamper(url.searchParams.get('X-Amz-Signature') ?? ''));
    expect((await fetch(url)).status).toBe(403);
  });

  it("refuses tenant A's URL pointed at tenant B's object", async () => {
    expect((await fetch(await downloadUrl(b, fileB))).status).toBe(200);
    const url = await downloadUrl(a, fileA);
    url.pathname = `/${stackEnv().S3_BUCKET}/${keyB.split('/').map(encodeURIComponent).join('/')}`;
    expect((await fetch(url)).status).toBe(403);
  });

  it('refuses an expired URL', async () => {
    const ctx = await serviceContext(a);
    const { url } = await getDownloadUrl(ctx.em, ctx.storage, { downloadExpiresSeconds: 1 }, fileA.id);
    await sleep(2_100);
    expect((await fetch(url)).status).toBe(403);
  });
});
