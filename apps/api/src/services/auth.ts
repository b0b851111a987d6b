/**
 * The auth procedures' work: brute-force limits, the Cognito call through the confidential client,
 * and the mapping of Cognito's answers to stable errors that never reveal whether an e-mail has an
 * account (forgot-password and resend answer the same for known and unknown e-mails; sign-in answers
 * one message for a wrong password and an unknown e-mail; a code for an unknown e-mail is "not valid").
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AuthTokens,
  ChangePasswordInput,
  CodeDelivery,
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  RefreshInput,
  SignInInput,
  SignUpInput,
} from '@tenantry/shared';

import { UserSchema } from '../db/control/index.js';
import { AppError } from '../errors.js';
import type { BruteForceGuard } from './brute-force.js';
import { ChallengeRequired, type CognitoAuth } from './cognito-auth.js';
import {
  ClientSecretRejected,
  cognitoErrorName,
  fieldError,
  invalidCredentials,
  isSecretRejection,
  mapCognitoError,
} from './cognito-errors.js';

export interface Caller {
  ip: string;
  log: { warn(obj: object, msg: string): void };
}

/** `o***@e***`, as Cognito masks a destination; computed by us so known and unknown e-mails look alike. */
export function maskedEmailDelivery(email: string): CodeDelivery {
  const [local = '', domain = ''] = email.split('@');
  return { destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`, medium: 'EMAIL' };
}

function jwtPayload(token: string): Record<string, unknown> | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

const codeInvalid = () =>
  new AppError({ code: 'BAD_REQUEST', appCode: 'CODE_INVALID', message: 'The code is not valid' });

/** Runs a Cognito call; its errors come back mapped (`override` handles a few per procedure). */
async function cognitoCall<T>(
  run: () => Promise<T>,
  options: { passwordField?: 'password' | 'newPassword'; override?: (name: string | undefined) => unknown } = {},
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isSecretRejection(error)) throw new ClientSecretRejected(error);
    const replaced = options.override?.(cognitoErrorName(error));
    throw replaced ?? mapCognitoError(error, options);
  }
}

export interface AuthService {
  signUp(input: SignUpInput): Promise<CodeDelivery>;
  confirmSignUp(input: ConfirmSignUpInput, caller: Caller): Promise<void>;
  resendCode(email: string): Promise<CodeDelivery>;
  signIn(input: SignInInput, caller: Caller, em: EntityManager): Promise<AuthTokens>;
  refresh(input: RefreshInput): Promise<AuthTokens>;
  forgotPassword(email: string, caller: Caller): Promise<CodeDelivery>;
  confirmForgotPassword(input: ConfirmForgotPasswordInput, caller: Caller): Promise<void>;
  changePassword(accessToken: string, email: string, input: ChangePasswordInput, caller: Caller): Promise<void>;
  signOut(refreshToken: string): Promise<void>;
}

export function createAuthService(cognitoAuth: CognitoAuth | undefined, guard: BruteForceGuard): AuthService {
  const cognito = (): CognitoAuth => {
    if (!cognitoAuth) {
      throw new Error('COGNITO_SERVER_CLIENT_ID and COGNITO_SERVER_CLIENT_SECRET are needed for the auth procedures');
    }
    return cognitoAuth;
  };
  const swallowUnknownAccount = (error: unknown, name = cognitoErrorName(error)) =>
    !isSecretRejection(error) &&
    (name === 'UserNotFoundException' ||
      name === 'InvalidParameterException' ||
      name === 'NotAuthorizedException' ||
      name === 'UserNotConfirmedException');

  /**
   * InitiateAuth USER_PASSWORD_AUTH. cognito-local answers a wrong password with InvalidPasswordException
   * (real Cognito: NotAuthorizedException); no new password is involved here, so both mean "wrong".
   */
  const verifyPassword = (email: string, password: string) =>
    cognitoCall(() => cognito().signIn(email, password), {
      override: (name) => (name === 'InvalidPasswordException' ? invalidCredentials() : undefined),
    });

  return {
    async signUp(input) {
      const { delivery } = await cognitoCall(() => cognito().signUp(input), { passwordField: 'password' });
      return delivery;
    },

    async confirmSignUp({ email, code }, caller) {
      await guard.attempt('confirm', { ip: caller.ip, account: email });
      await cognitoCall(() => cognito().confirmSignUp(email, code), {
        // Unknown e-mail, or already confirmed: "not valid", like a wrong code.
        override: (name) =>
          name === 'UserNotFoundException' || name === 'NotAuthorizedException' ? codeInvalid() : undefined,
      });
      await guard.succeeded('confirm', { ip: caller.ip, account: email });
    },

    async resendCode(email) {
      try {
        await cognito().resendCode(email);
      } catch (error) {
        if (!swallowUnknownAccount(error)) throw mapCognitoError(error);
      }
      return maskedEmailDelivery(email);
    },

    async signIn({ email, password }, caller, em) {
      await guard.attempt('signIn', { ip: caller.ip, account: email });
      let tokens: AuthTokens;
      try {
        tokens = await verifyPassword(email, password);
      } catch (error) {
        if (error instanceof ChallengeRequired) {
          throw new AppError({
            code: 'FORBIDDEN',
            appCode: 'PASSWORD_RESET_REQUIRED',
            message: 'This account needs a new password: use "Forgot password"',
          });
        }
        throw error;
      }
      await guard.succeeded('signIn', { ip: caller.ip, account: email });
      await syncProfile(em, tokens.idToken, caller);
      return tokens;
    },

    async refresh({ refreshToken, username }) {
      // The emulator's refresh tokens are JWTs naming the user; real Cognito's are encrypted.
      const claims = jwtPayload(refreshToken);
      const user = username ?? str(claims?.['cognito:username']) ?? str(claims?.username);
      if (!user) {
        throw new AppError({
          code: 'BAD_REQUEST',
          appCode: 'VALIDATION_FAILED',
          message: 'Send the username (the ID token\'s "sub") with the refresh token',
        });
      }
      return cognitoCall(() => cognito().refresh(refreshToken, user), {
        override: (name) =>
          name === 'NotAuthorizedException' || name === 'UserNotFoundException'
            ? new AppError({
                code: 'UNAUTHORIZED',
                appCode: 'TOKEN_INVALID',
                message: 'The session has ended: sign in again',
              })
            : undefined,
      });
    },

    async forgotPassword(email, caller) {
      // Every request counts (not only failures): each one sends an e-mail.
      await guard.attempt('forgotPassword', { ip: caller.ip, account: email });
      try {
        await cognito().forgotPassword(email);
      } catch (error) {
        if (!swallowUnknownAccount(error)) throw mapCognitoError(error);
      }
      return maskedEmailDelivery(email);
    },

    async confirmForgotPassword({ email, code, newPassword }, caller) {
      await guard.attempt('confirm', { ip: caller.ip, account: email });
      await cognitoCall(() => cognito().confirmForgotPassword(email, code, newPassword), {
        passwordField: 'newPassword',
        override: (name) =>
          name === 'UserNotFoundException' || name === 'NotAuthorizedException' ? codeInvalid() : undefined,
      });
      await guard.succeeded('confirm', { ip: caller.ip, account: email });
    },

    async changePassword(accessToken, email, { currentPassword, newPassword }, caller) {
      // Guessing the current password with a stolen access token counts as failed sign-ins. The current
      // password is checked with a sign-in first: ChangePassword's own "wrong previous password" differs
      // between Cognito (NotAuthorizedException) and the emulator (InvalidPasswordException, which
      // Cognito uses for the new password's policy), so this keeps one meaning everywhere.
      await guard.attempt('signIn', { ip: caller.ip, account: email });
      try {
        await verifyPassword(email, currentPassword);
      } catch (error) {
        if (error instanceof AppError && error.appCode === 'INVALID_CREDENTIALS') {
          throw new AppError({
            code: 'BAD_REQUEST',
            appCode: 'INVALID_CREDENTIALS',
            message: 'The current password is not correct',
            fieldErrors: fieldError('currentPassword', 'The current password is not correct'),
          });
        }
        throw error;
      }
      await guard.succeeded('signIn', { ip: caller.ip, account: email });
      await cognitoCall(() => cognito().changePassword(accessToken, currentPassword, newPassword), {
        passwordField: 'newPassword',
      });
    },

    async signOut(refreshToken) {
      await cognitoCall(() => cognito().revoke(refreshToken), {
        override: (name) =>
          name === 'NotAuthorizedException' ||
          name === 'UnauthorizedException' ||
          name === 'UnsupportedTokenTypeException' ||
          name === 'InvalidParameterException'
            ? new AppError({
                code: 'UNAUTHORIZED',
                appCode: 'TOKEN_INVALID',
                message: 'The refresh token is not valid',
              })
            : undefined,
      });
    },
  };
}

/**
 * Keeps the users row's e-mail and name in step with Cognito. Decision: on every `auth.signIn`, from
 * the ID token Cognito has just handed us over TLS (so its claims are Cognito's own, without a
 * signature check). Only an existing row is updated: rows are created by the first verified access
 * token (`ensureUser`). A conflict (another row still holds the e-mail) is logged, not fatal.
 */
async function syncProfile(em: EntityManager, idToken: string, caller: Caller): Promise<void> {
  const claims = jwtPayload(idToken);
  const sub = str(claims?.sub);
  const email = str(claims?.email)?.trim().toLowerCase();
  if (!sub || !email) return;
  const name = str(claims?.name)?.trim();
  try {
    await em.nativeUpdate(UserSchema, { cognitoSub: sub }, { email, ...(name ? { name } : {}) });
  } catch (error) {
    caller.log.warn(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      'could not sync the user e-mail',
    );
  }
}
