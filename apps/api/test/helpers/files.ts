import type { FastifyInstance } from 'fastify';
import type { FileModel, PresignedUpload } from '@tenantry/shared';
import { call, type CallOptions } from './tenants.js';

/** Sends a body to a presigned POST as a browser form would: the fields first, then the file. */
export async function postUpload(upload: Pick<PresignedUpload, 'url' | 'fields'>, body: Uint8Array, type: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([body], { type }), 'upload');
  return fetch(upload.url, { method: 'POST', body: form });
}

/** createUpload → POST to S3 → completeUpload, as the SPA does; fails the test on any refusal. */
export async function uploadFile(
  app: FastifyInstance,
  options: CallOptions,
  file: { name: string; contentType: string; body: Uint8Array | string },
): Promise<FileModel> {
  const body = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
  const created = await call<PresignedUpload>(
    app,
    'mutation',
    'files.createUpload',
    { name: file.name, size: body.byteLength, contentType: file.contentType },
    options,
  );
  if (created.status !== 200)
    throw new Error(`files.createUpload answered ${created.status}: ${JSON.stringify(created.body)}`);
  const sent = await postUpload(created.data, body, file.contentType);
  if (!sent.ok) throw new Error(`the presigned POST answered ${sent.status}: ${await sent.text()}`);
  const completed = await call<FileModel>(
    app,
    'mutation',
    'files.completeUpload',
    { id: created.data.file.id },
    options,
  );
  if (completed.status !== 200) {
    throw new Error(`files.completeUpload answered ${completed.status}: ${JSON.stringify(completed.body)}`);
  }
  return completed.data;
}
