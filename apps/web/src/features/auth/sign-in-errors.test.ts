import { describe, expect, it } from 'vitest';
import { signInErrorMessage } from './sign-in-errors';

const cognitoError = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('signInErrorMessage', () => {
  it.each(['NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException'])(
    'answers %s the same way, revealing no account',
    (name) => {
      expect(signInErrorMessage(cognitoError(name, 'Incorrect username or password.'))).toBe(
        'Incorrect email or password.',
      );
    },
  );

  it('tells a disabled account apart', () => {
    expect(signInErrorMessage(cognitoError('NotAuthorizedException', 'User is disabled.'))).toMatch(/disabled/);
  });

  it('explains a network failure and unknown errors', () => {
    expect(signInErrorMessage(cognitoError('NetworkError'))).toMatch(/could not be reached/);
    expect(signInErrorMessage(cognitoError('SomethingNew', 'Boom'))).toBe('Sign-in failed: Boom');
    expect(signInErrorMessage('nope')).toMatch(/Sign-in failed/);
  });
});
