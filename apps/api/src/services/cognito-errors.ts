/**
 * Cognito's errors as stable, client-facing AppErrors. The AWS SDK names each error after Cognito's
 * exception type; the mapping depends only on that name, never on Cognito's wording.
 */
import { AppError, fieldError } from '../errors.js';

/** One message for a wrong password and an unknown e-mail: answers must not reveal who has an account. */
export const INVALID_CREDENTIALS_MESSAGE = 'Incorrect email or password';

export function cognitoErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

export { fieldError } from '../errors.js';

export interface MappingOptions {
  /** The input field a password policy violation belongs to. */
  passwordField?: 'password' | 'newPassword';
}

/**
 * Cognito refused our app client's secret (a wrong COGNITO_SERVER_CLIENT_SECRET): a fault on our side,
 * never to be confused with a user's wrong password.
 */
export function isSecretRejection(error: unknown): boolean {
  return (
    cognitoErrorName(error) === 'NotAuthorizedException' && error instanceof Error && /secret/i.test(error.message)
  );
}

export class ClientSecretRejected extends Error {
  constructor(cause: unknown) {
    super('Cognito refused the app client secret: check COGNITO_SERVER_CLIENT_ID and COGNITO_SERVER_CLIENT_SECRET', {
      cause,
    });
    this.name = 'ClientSecretRejected';
  }
}

export const invalidCredentials = () =>
  new AppError({ code: 'UNAUTHORIZED', appCode: 'INVALID_CREDENTIALS', message: INVALID_CREDENTIALS_MESSAGE });

/** Maps a known Cognito error to an AppError; anything else is returned unchanged (an internal error). */
export function mapCognitoError(error: unknown, options: MappingOptions = {}): unknown {
  if (isSecretRejection(error)) return new ClientSecretRejected(error);
  switch (cognitoErrorName(error)) {
    case 'UsernameExistsException':
      return new AppError({
        code: 'CONFLICT',
        appCode: 'CONFLICT',
        message: 'An account with this email already exists',
      });
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return new AppError({
        code: 'UNAUTHORIZED',
        appCode: 'INVALID_CREDENTIALS',
        message: INVALID_CREDENTIALS_MESSAGE,
      });
    case 'UserNotConfirmedException':
      return new AppError({
        code: 'FORBIDDEN',
        appCode: 'USER_NOT_CONFIRMED',
        message: 'Confirm your email address first with the code we sent you',
      });
    case 'PasswordResetRequiredException':
      return new AppError({
        code: 'FORBIDDEN',
        appCode: 'PASSWORD_RESET_REQUIRED',
        message: 'Your password must be reset: use "Forgot password"',
      });
    case 'CodeMismatchException':
      return new AppError({ code: 'BAD_REQUEST', appCode: 'CODE_INVALID', message: 'The code is not valid' });
    case 'ExpiredCodeException':
      return new AppError({
        code: 'BAD_REQUEST',
        appCode: 'CODE_EXPIRED',
        message: 'The code has expired: ask for a new one',
      });
    case 'InvalidPasswordException': {
      const message = error instanceof Error ? error.message : 'The password does not meet the policy';
      return new AppError({
        code: 'BAD_REQUEST',
        appCode: 'VALIDATION_FAILED',
        message,
        fieldErrors: fieldError(options.passwordField ?? 'password', message),
      });
    }
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return new AppError({
        code: 'TOO_MANY_REQUESTS',
        appCode: 'RATE_LIMITED',
        message: 'Too many attempts. Try again later.',
      });
    case 'InvalidParameterException':
      return new AppError({
        code: 'BAD_REQUEST',
        appCode: 'VALIDATION_FAILED',
        message: error instanceof Error ? error.message : 'Invalid request',
      });
    default:
      return error;
  }
}
