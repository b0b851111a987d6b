/**
 * Messages for the errors Amplify throws in the account flows (Cognito names its errors), each tied to
 * the form field it concerns (`field: null` is about the whole form). Sign-in has its own module.
 */
export interface AuthFormError<F extends string> {
  field: F | null;
  message: string;
}

export const TOO_MANY_ATTEMPTS = 'Too many attempts, try again later.';
export const EMAIL_EXISTS = 'An account with this email already exists.';
export const INCORRECT_PASSWORD = 'Incorrect password.';
export const WRONG_CODE = 'That code is not right. Check the email we sent and try again.';
export const EXPIRED_CODE = 'That code has expired. Send a new code and try again.';
export const RESET_CODE_SENT = 'If an account exists for this email, we sent a code to it.';

const NETWORK = 'The sign-in service could not be reached. Check your connection and try again.';

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function formError(message: string): AuthFormError<never> {
  return { field: null, message };
}

/** Errors every flow answers the same way; `null` when the flow must decide. */
function commonError(error: unknown): AuthFormError<never> | null {
  switch (nameOf(error)) {
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return formError(TOO_MANY_ATTEMPTS);
    case 'NetworkError':
      return formError(NETWORK);
    default:
      return null;
  }
}

function unexpected(error: unknown, action: string): AuthFormError<never> {
  const detail = error instanceof Error && error.message ? `: ${error.message}` : '. Try again in a moment.';
  return formError(`${action} failed${detail}`);
}

/** Cognito explains a refused new password after a colon ("…did not conform with policy: Password not long enough"). */
function passwordPolicyMessage(error: unknown): string {
  const detail = error instanceof Error ? /:\s*(.+)$/.exec(error.message)?.[1] : undefined;
  return detail
    ? `This password is not accepted: ${detail.replace(/\.$/, '')}.`
    : 'This password is not accepted. Choose another one.';
}

export function signUpError(error: unknown): AuthFormError<'name' | 'email' | 'password'> {
  switch (nameOf(error)) {
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return { field: 'email', message: EMAIL_EXISTS };
    case 'InvalidPasswordException':
      return { field: 'password', message: passwordPolicyMessage(error) };
  }
  return commonError(error) ?? unexpected(error, 'Sign-up');
}

export function confirmSignUpError(error: unknown): AuthFormError<'email' | 'code'> {
  switch (nameOf(error)) {
    case 'CodeMismatchException':
      return { field: 'code', message: WRONG_CODE };
    case 'ExpiredCodeException':
      return { field: 'code', message: EXPIRED_CODE };
    case 'NotAuthorizedException':
      // Cognito: "User cannot be confirmed. Current status is CONFIRMED".
      if (error instanceof Error && /CONFIRMED/.test(error.message)) {
        return formError('This account is already confirmed. Sign in instead.');
      }
      return { field: 'code', message: WRONG_CODE };
    case 'UserNotFoundException':
      return { field: 'email', message: 'No account is waiting for confirmation with this email.' };
  }
  return commonError(error) ?? unexpected(error, 'Confirmation');
}

export function resendCodeError(error: unknown): AuthFormError<never> {
  if (nameOf(error) === 'InvalidParameterException' && error instanceof Error && /confirmed/i.test(error.message)) {
    return formError('This account is already confirmed. Sign in instead.');
  }
  return commonError(error) ?? unexpected(error, 'Sending a new code');
}

/**
 * Whether a forgot-password error would reveal that no such account exists (or that it cannot receive
 * a code): the form then answers as if the code were sent.
 */
export function hidesAccountExistence(error: unknown): boolean {
  return ['UserNotFoundException', 'InvalidParameterException', 'UserNotConfirmedException'].includes(nameOf(error));
}

export function forgotPasswordError(error: unknown): AuthFormError<'email'> {
  return commonError(error) ?? unexpected(error, 'Sending the code');
}

export function confirmResetPasswordError(error: unknown): AuthFormError<'code' | 'newPassword'> {
  // An unknown account gets the same answer as a wrong code.
  switch (nameOf(error)) {
    case 'CodeMismatchException':
    case 'UserNotFoundException':
    case 'NotAuthorizedException':
      return { field: 'code', message: WRONG_CODE };
    case 'ExpiredCodeException':
      return { field: 'code', message: EXPIRED_CODE };
    case 'InvalidPasswordException':
      return { field: 'newPassword', message: passwordPolicyMessage(error) };
  }
  return commonError(error) ?? unexpected(error, 'Resetting the password');
}

export function changePasswordError(error: unknown): AuthFormError<'currentPassword' | 'newPassword'> {
  const message = error instanceof Error ? error.message : '';
  switch (nameOf(error)) {
    case 'NotAuthorizedException':
      // A revoked or expired access token is refused with the same name as a wrong password.
      if (/token/i.test(message)) return formError('Your session has ended. Sign in again to change your password.');
      return { field: 'currentPassword', message: INCORRECT_PASSWORD };
    case 'InvalidPasswordException':
      // Cognito says this about the new password; the local emulator says "Invalid password" for a wrong current one.
      if (/policy|conform|security|previous/i.test(message)) {
        return { field: 'newPassword', message: passwordPolicyMessage(error) };
      }
      return { field: 'currentPassword', message: INCORRECT_PASSWORD };
  }
  return commonError(error) ?? unexpected(error, 'Changing the password');
}
