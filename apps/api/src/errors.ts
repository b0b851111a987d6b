import { TRPCError } from '@trpc/server';
import type { AppCode } from '@tenantry/shared';
import { z } from 'zod';

type TRPCCode = TRPCError['code'];

/** A JSON value small enough to send to a client. */
export type DetailValue =
  string | number | boolean | null | readonly DetailValue[] | { readonly [key: string]: DetailValue };

/** A TRPCError that carries one of the stable application codes clients branch on. */
export class AppError extends TRPCError {
  readonly appCode: AppCode;
  /** For TOO_MANY_REQUESTS: sent as the `Retry-After` header. */
  readonly retryAfterSeconds: number | undefined;
  /**
   * Field errors sent as `data.zodError` (a Zod 4 ZodError is not an Error, so TRPCError would wrap it
   * as a `cause`; it is kept here as it is).
   */
  readonly fieldErrors: z.ZodError | undefined;
  /** Small facts a client can act on, sent as `data.details` (e.g. the tenant's status). */
  readonly details: Readonly<Record<string, DetailValue>> | undefined;
  constructor(opts: {
    code: TRPCCode;
    appCode: AppCode;
    message: string;
    cause?: unknown;
    retryAfterSeconds?: number;
    fieldErrors?: z.ZodError;
    details?: Readonly<Record<string, DetailValue>>;
  }) {
    super({ code: opts.code, message: opts.message, cause: opts.cause });
    this.appCode = opts.appCode;
    this.details = opts.details;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.fieldErrors = opts.fieldErrors;
  }
}

const defaultAppCodes: Partial<Record<TRPCCode, AppCode>> = {
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'VALIDATION_FAILED',
  PARSE_ERROR: 'VALIDATION_FAILED',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
};

export function appCodeOf(error: TRPCError): AppCode {
  if (error instanceof AppError) return error.appCode;
  return defaultAppCodes[error.code] ?? 'INTERNAL';
}

/** A field error in the shape the error formatter flattens into `data.zodError`. */
export function fieldError(field: string, message: string): z.ZodError {
  return new z.ZodError([{ code: 'custom', path: [field], message, input: undefined }]);
}
