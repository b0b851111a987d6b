import { TRPCError } from '@trpc/server';
import type { AppCode } from '@tenantry/shared';

type TRPCCode = TRPCError['code'];

/** A TRPCError that carries one of the stable application codes clients branch on. */
export class AppError extends TRPCError {
  readonly appCode: AppCode;
  constructor(opts: { code: TRPCCode; appCode: AppCode; message: string; cause?: unknown }) {
    super({ code: opts.code, message: opts.message, cause: opts.cause });
    this.appCode = opts.appCode;
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
