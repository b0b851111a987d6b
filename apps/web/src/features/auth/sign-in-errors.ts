import type { SignInOutput } from 'aws-amplify/auth';

const GENERIC = 'Sign-in failed. Try again in a moment.';

/** A message a person can act on, from an error thrown by Amplify's `signIn` (Cognito names its errors). */
export function signInErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return GENERIC;
  switch (error.name) {
    case 'NotAuthorizedException':
      return /disabled/i.test(error.message)
        ? 'This account is disabled. Contact your administrator.'
        : 'Incorrect email or password.';
    // Same answer as a wrong password, so the form reveals no accounts; the local emulator says
    // InvalidPasswordException for a wrong password.
    case 'UserNotFoundException':
    case 'InvalidPasswordException':
      return 'Incorrect email or password.';
    case 'UserNotConfirmedException':
      return 'This account is not confirmed yet. Use the link or code we emailed you, then sign in.';
    case 'PasswordResetRequiredException':
      return 'You need to reset your password before you can sign in.';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return 'Too many attempts. Wait a few minutes, then try again.';
    case 'NetworkError':
      return 'The sign-in service could not be reached. Check your connection and try again.';
    case 'UserAlreadyAuthenticatedException':
      return 'You are already signed in. Reload the page to continue.';
    default:
      return error.message ? `Sign-in failed: ${error.message}` : GENERIC;
  }
}

/** What to tell the user when Cognito wants another step that this console does not offer yet. */
export function unsupportedStepMessage(step: SignInOutput['nextStep']['signInStep']): string {
  switch (step) {
    case 'CONFIRM_SIGN_UP':
      return 'This account is not confirmed yet. Use the link or code we emailed you, then sign in.';
    case 'RESET_PASSWORD':
      return 'You need to reset your password before you can sign in.';
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return 'This account still has a temporary password. Ask your administrator to set a permanent one.';
    default:
      return 'This account needs a sign-in step (such as multi-factor authentication) that this console does not support yet.';
  }
}
