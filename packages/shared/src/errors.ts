import { z } from 'zod';

/**
 * Stable application error codes, sent as `data.appCode` on every tRPC error.
 * Clients branch on these, never on messages.
 */
export const AppCode = z.enum([
  'UNAUTHENTICATED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'CONFLICT',
  'RATE_LIMITED',
  /** Sign-in failed: wrong password or unknown email (deliberately indistinguishable). */
  'INVALID_CREDENTIALS',
  /** The account exists but its email was never confirmed: confirm it, or resend the code. */
  'USER_NOT_CONFIRMED',
  /** Cognito asks for a step the API does not run (e.g. a new password for an admin-created user). */
  'PASSWORD_RESET_REQUIRED',
  /** A confirmation or reset code that is wrong. */
  'CODE_INVALID',
  /** A confirmation or reset code that expired: ask for a new one. */
  'CODE_EXPIRED',
  'TENANT_MISMATCH',
  'TENANT_NOT_READY',
  'TENANT_SUSPENDED',
  'PLAN_LIMIT',
  /** The plan's requests-per-day quota is used up until the next UTC day. */
  'QUOTA_EXCEEDED',
  'FEATURE_DISABLED',
  /** A file bigger than the per-file maximum (FILE_MAX_BYTES). */
  'FILE_TOO_LARGE',
  /** A content type outside the allow-list (FILE_TYPES). */
  'FILE_TYPE_NOT_ALLOWED',
  /** `files.completeUpload` before the object is in the bucket: finish the upload first. */
  'UPLOAD_NOT_FINISHED',
  /** The uploaded object is not what was promised (size or type): it was removed. */
  'UPLOAD_MISMATCH',
  /** REST: an `Idempotency-Key` header that is not 1–255 visible ASCII characters. */
  'IDEMPOTENCY_KEY_INVALID',
  /** REST: the first request with this `Idempotency-Key` is still running; retry after `Retry-After`. */
  'IDEMPOTENCY_IN_PROGRESS',
  /** REST: this `Idempotency-Key` was used for another method, path or body; use a new key. */
  'IDEMPOTENCY_KEY_REUSED',
  'INTERNAL',
]);
export type AppCode = z.infer<typeof AppCode>;

/** Field errors as produced by `z.flattenError`. */
export const FieldErrors = z.object({
  formErrors: z.array(z.string()),
  fieldErrors: z.record(z.string(), z.array(z.string()).optional()),
});
export type FieldErrors = z.infer<typeof FieldErrors>;
