import { describe, expect, it } from 'vitest';
import {
  changePasswordError,
  confirmResetPasswordError,
  confirmSignUpError,
  EMAIL_EXISTS,
  EXPIRED_CODE,
  forgotPasswordError,
  hidesAccountExistence,
  INCORRECT_PASSWORD,
  resendCodeError,
  signUpError,
  TOO_MANY_ATTEMPTS,
  WRONG_CODE,
} from './auth-errors';

const cognitoError = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('account flow errors', () => {
  it('puts an existing email on the email field of sign-up', () => {
    expect(signUpError(cognitoError('UsernameExistsException', 'User already exists'))).toEqual({
      field: 'email',
      message: EMAIL_EXISTS,
    });
  });

  it('puts a refused new password on the password field, with Cognito’s reason', () => {
    const error = cognitoError(
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
    expect(signUpError(error)).toEqual({
      field: 'password',
      message: 'This password is not accepted: Password not long enough.',
    });
    expect(confirmResetPasswordError(error).field).toBe('newPassword');
    expect(changePasswordError(error).field).toBe('newPassword');
  });

  it('puts wrong and expired codes on the code field', () => {
    expect(confirmSignUpError(cognitoError('CodeMismatchException'))).toEqual({ field: 'code', message: WRONG_CODE });
    expect(confirmSignUpError(cognitoError('ExpiredCodeException'))).toEqual({ field: 'code', message: EXPIRED_CODE });
    expect(confirmResetPasswordError(cognitoError('CodeMismatchException'))).toEqual({
      field: 'code',
      message: WRONG_CODE,
    });
    expect(confirmResetPasswordError(cognitoError('ExpiredCodeException'))).toEqual({
      field: 'code',
      message: EXPIRED_CODE,
    });
  });

  it('answers an unknown account on password reset like a wrong code', () => {
    expect(confirmResetPasswordError(cognitoError('UserNotFoundException'))).toEqual({
      field: 'code',
      message: WRONG_CODE,
    });
  });

  it('tells an already confirmed account to sign in', () => {
    const error = cognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
    const { field, message } = confirmSignUpError(error);
    expect(field).toBeNull();
    expect(message).toMatch(/already confirmed/);
  });

  it('puts a wrong current password on its field, from Cognito and from the local emulator', () => {
    const expected = { field: 'currentPassword', message: INCORRECT_PASSWORD };
    expect(changePasswordError(cognitoError('NotAuthorizedException', 'Incorrect username or password.'))).toEqual(
      expected,
    );
    expect(changePasswordError(cognitoError('InvalidPasswordException', 'Invalid password'))).toEqual(expected);
  });

  it('says a revoked session has ended instead of blaming the password', () => {
    const { field, message } = changePasswordError(
      cognitoError('NotAuthorizedException', 'Access Token has been revoked'),
    );
    expect(field).toBeNull();
    expect(message).toMatch(/session has ended/);
  });

  it.each(['LimitExceededException', 'TooManyRequestsException', 'TooManyFailedAttemptsException'])(
    'answers %s for the whole form in every flow',
    (name) => {
      const expected = { field: null, message: TOO_MANY_ATTEMPTS };
      for (const map of [
        signUpError,
        confirmSignUpError,
        resendCodeError,
        forgotPasswordError,
        confirmResetPasswordError,
        changePasswordError,
      ]) {
        expect(map(cognitoError(name))).toEqual(expected);
      }
    },
  );

  it('hides whether an account exists when a reset code is asked for', () => {
    expect(hidesAccountExistence(cognitoError('UserNotFoundException'))).toBe(true);
    expect(hidesAccountExistence(cognitoError('InvalidParameterException'))).toBe(true);
    expect(hidesAccountExistence(cognitoError('LimitExceededException'))).toBe(false);
    expect(hidesAccountExistence('nope')).toBe(false);
  });

  it('explains network failures and unknown errors at form level', () => {
    expect(signUpError(cognitoError('NetworkError')).message).toMatch(/could not be reached/);
    expect(changePasswordError(cognitoError('SomethingNew', 'Boom'))).toEqual({
      field: null,
      message: 'Changing the password failed: Boom',
    });
    expect(signUpError('nope')).toEqual({ field: null, message: 'Sign-up failed. Try again in a moment.' });
  });
});
