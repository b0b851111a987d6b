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
  'INTERNAL',
]);
export type AppCode = z.infer<typeof AppCode>;

/** Field errors as produced by `z.flattenError`. */
export const FieldErrors = z.object({
  formErrors: z.array(z.string()),
  fieldErrors: z.record(z.string(), z.array(z.string()).optional()),
});
export type FieldErrors = z.infer<typeof FieldErrors>;
