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
  'TENANT_MISMATCH',
  'TENANT_NOT_READY',
  'TENANT_SUSPENDED',
  'PLAN_LIMIT',
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
