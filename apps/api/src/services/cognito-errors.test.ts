import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { type AppError } from '../errors.js';
import { ClientSecretRejected, INVALID_CREDENTIALS_MESSAGE, mapCognitoError } from './cognito-errors.js';

/** An error as the AWS SDK throws it: named after Cognito's exception type. */
function cognitoError(name: string, message = 'from Cognito'): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe("Cognito's errors, as clients see them", () => {
  it.each([
    ['UsernameExistsException', 'CONFLICT', 'CONFLICT'],
    ['NotAuthorizedException', 'UNAUTHORIZED', 'INVALID_CREDENTIALS'],
    ['UserNotFoundException', 'UNAUTHORIZED', 'INVALID_CREDENTIALS'],
    ['UserNotConfirmedException', 'FORBIDDEN', 'USER_NOT_CONFIRMED'],
    ['PasswordResetRequiredException', 'FORBIDDEN', 'PASSWORD_RESET_REQUIRED'],
    ['CodeMismatchException', 'BAD_REQUEST', 'CODE_INVALID'],
    ['ExpiredCodeException', 'BAD_REQUEST', 'CODE_EXPIRED'],
    ['TooManyRequestsException', 'TOO_MANY_REQUESTS', 'RATE_LIMITED'],
    ['LimitExceededException', 'TOO_MANY_REQUESTS', 'RATE_LIMITED'],
    ['TooManyFailedAttemptsException', 'TOO_MANY_REQUESTS', 'RATE_LIMITED'],
  ])('%s → %s %s', (name, code, appCode) => {
    expect(mapCognitoError(cognitoError(name))).toMatchObject({ code, appCode });
  });

  it('answers a wrong password and an unknown user with one message', () => {
    const a = mapCognitoError(cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    const b = mapCognitoError(cognitoError('UserNotFoundException', 'User does not exist.'));
    expect((a as AppError).message).toBe(INVALID_CREDENTIALS_MESSAGE);
    expect((b as AppError).message).toBe(INVALID_CREDENTIALS_MESSAGE);
  });

  it('puts a password policy violation on the password field it belongs to', () => {
    const mapped = mapCognitoError(cognitoError('InvalidPasswordException', 'Password must have symbols'), {
      passwordField: 'newPassword',
    }) as AppError;
    expect(mapped).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });
    expect(z.flattenError(mapped.fieldErrors as z.ZodError).fieldErrors).toEqual({
      newPassword: ['Password must have symbols'],
    });
  });

  it('treats a refused client secret as our fault, not a wrong password', () => {
    const mapped = mapCognitoError(
      cognitoError('NotAuthorizedException', 'Unable to verify secret hash for client abc'),
    );
    expect(mapped).toBeInstanceOf(ClientSecretRejected);
  });

  it('leaves unknown errors alone (internal errors, logged)', () => {
    const error = cognitoError('InternalErrorException');
    expect(mapCognitoError(error)).toBe(error);
  });
});
