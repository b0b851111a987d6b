/**
 * What s3rver cannot prove: that the S3 server itself refuses every upload or download our presigned
 * POSTs and GETs do not allow. Runs only in the api-radosgw project (pnpm test:s3), against radosgw.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseEnv } from '../../src/env.js';
import { createS3Client } from '../../src/services/s3.js';
import { stackEnv } from '../helpers/stack-env.js';

/** A presigned POST as the files service hands it out: send `fields`, then the file as `file`. */
interface Upload {
  url: string;
  fields: Record<string, string>;
}

let s3: S3Client;
let bucket: string;

beforeAll(() => {
  const env = parseEnv({ ...stackEnv(), NODE_ENV: 'test' });
  s3 = createS3Client(env);
  bucket = env.S3_BUCKET;
});

afterAll(() => s3.destroy());

const tenantKey = (tenantId: string, name: string) => `${tenantId}/${randomUUID()}/${name}`;

/** Presigned exactly as the files service does: exact size, exact Content-Type, the server's key. */
async function presignUpload(key: string, size: number, contentType: string, expiresSeconds = 3600): Promise<Upload> {
  return createPresignedPost(s3, {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', size, size],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: expiresSeconds,
  });
}

/** Uploads as a browser does: a multipart form with the policy's fields first, the file last. */
async function post(upload: Upload, body: Buffer, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...fields })) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(body)]), 'upload.bin');
  const res = await fetch(upload.url, { method: 'POST', body: form });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: text };
}

async function stored(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

/** Flips one hex digit of a signature: still well-formed, no longer valid. */
const tamper = (signature: string) => (signature.startsWith('0') ? '1' : '0') + signature.slice(1);

const body = (size: number) => Buffer.alloc(size, 'x');

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

describe('a presigned upload is enforced by the server', () => {
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  it('stores a file that keeps to its policy', async () => {
    const key = tenantKey(tenantA, 'report.pdf');
    const upload = await presignUpload(key, 1000, 'application/pdf');
    expect(await post(upload, body(1000))).toMatchObject({ status: 204 });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head).toMatchObject({ ContentLength: 1000, ContentType: 'application/pdf' });
  });

  it('refuses a bigger body than promised, and a smaller one', async () => {
    const key = tenantKey(tenantA, 'report.pdf');
    const upload = await presignUpload(key, 1000, 'application/pdf');
    expect(await post(upload, body(1001))).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(await post(upload, body(999))).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    expect(await stored(key)).toBe(false);
  });

  it('refuses another Content-Type than the one signed', async () => {
    const key = tenantKey(tenantA, 'notes.txt');
    const upload = await presignUpload(key, 10, 'text/plain');
    const res = await post(upload, body(10), { 'Content-Type': 'text/html' });
    expect(res).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await stored(key)).toBe(false);
  });

  it('refuses a tampered signature', async () => {
    const key = tenantKey(tenantA, 'notes.txt');
    const upload = await presignUpload(key, 10, 'text/plain');
    const signature = upload.fields['X-Amz-Signature'] ?? '';
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const res = await post(upload, body(10), { 'X-Amz-Signature': tamper(signature) });
    expect(res).toMatchObject({ status: 403 });
    expect(await stored(key)).toBe(false);
  });

  it("refuses tenant A's upload sent to tenant B's key", async () => {
    const keyA = tenantKey(tenantA, 'notes.txt');
    const keyB = tenantKey(tenantB, 'notes.txt');
    const upload = await presignUpload(keyA, 10, 'text/plain');
    const res = await post(upload, body(10), { key: keyB });
    expect(res).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await stored(keyB)).toBe(false);
    expect(await stored(keyA)).toBe(false);
  });

  it('refuses an upload after its expiry', async () => {
    const key = tenantKey(tenantA, 'late.txt');
    const upload = await presignUpload(key, 10, 'text/plain', 1);
    await sleep(2_100);
    const res = await post(upload, body(10));
    expect(res).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await stored(key)).toBe(false);
  });
});

describe('a presigned download is enforced by the server', () => {
  const tenantA = randomUUID();
  const key = tenantKey(tenantA, 'report.pdf');
  const content = Buffer.from('%PDF-1.7 tenant A only');

  const presignDownload = (objectKey: string, expiresIn = 300) =>
    getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey,
        ResponseContentDisposition: 'attachment; filename="report.pdf"',
      }),
      { expiresIn },
    );

  beforeAll(async () => {
    const upload = await presignUpload(key, content.length, 'application/pdf');
    expect(await post(upload, content)).toMatchObject({ status: 204 });
  });

  it('serves the bytes to a valid URL', async () => {
    const res = await fetch(await presignDownload(key));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(content);
  });

  it('refuses a tampered signature', async () => {
    const url = new URL(await presignDownload(key));
    url.searchParams.set('X-Amz-Signature', tamper(url.searchParams.get('X-Amz-Signature') ?? ''));
    expect((await fetch(url)).status).toBe(403);
  });

  it("refuses a URL signed for one key used for another tenant's key", async () => {
    const other = tenantKey(randomUUID(), 'report.pdf');
    const url = new URL(await presignDownload(key));
    url.pathname = `/${bucket}/${other}`;
    expect((await fetch(url)).status).toBe(403);
  });

  it('refuses an expired URL', async () => {
    const url = await presignDownload(key, 1);
    await sleep(2_100);
    expect((await fetch(url)).status).toBe(403);
  });
});
