import { CreateUploadInput, DownloadUrl, FileListInput, FileModel, FilePage, PresignedUpload } from '@tenantry/shared';
import { z } from 'zod';
import {
  completeUpload,
  createUpload,
  deleteFile,
  fileSettingsOf,
  getDownloadUrl,
  listFiles,
  toFileModel,
  type FileStorage,
} from '../services/files.js';
import type { AppServices } from '../services/index.js';
import { requirePermission, router } from '../trpc.js';

const ById = z.object({ id: z.uuid() });

const storageOf = (services: AppServices): FileStorage => ({ s3: services.s3, bucket: services.env.S3_BUCKET });

/**
 * Tenant files (DESIGN §6): `createUpload` reserves the file and returns a presigned POST; the client sends
 * `fields` and then the file (form field `file`) to `url`, and confirms with `completeUpload`.
 */
export const filesRouter = router({
  createUpload: requirePermission('files.write')
    .input(CreateUploadInput)
    .output(PresignedUpload)
    .mutation(({ ctx, input }) =>
      createUpload(ctx.em, ctx.tenant, storageOf(ctx.services), fileSettingsOf(ctx.services.env), input, ctx.audit),
    ),

  completeUpload: requirePermission('files.write')
    .input(ById)
    .output(FileModel)
    .mutation(async ({ ctx, input }) =>
      toFileModel(await completeUpload(ctx.em, ctx.tenant.id, storageOf(ctx.services), input.id, ctx.audit)),
    ),

  list: requirePermission('files.read')
    .input(FileListInput)
    .output(FilePage)
    .query(({ ctx, input }) => listFiles(ctx.em, input)),

  getDownloadUrl: requirePermission('files.read')
    .input(ById)
    .output(DownloadUrl)
    .query(({ ctx, input }) =>
      getDownloadUrl(ctx.em, storageOf(ctx.services), fileSettingsOf(ctx.services.env), input.id),
    ),

  delete: requirePermission('files.delete')
    .input(ById)
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await deleteFile(ctx.em, ctx.tenant.id, storageOf(ctx.services), input.id, ctx.audit);
      return { id: input.id };
    }),
});
