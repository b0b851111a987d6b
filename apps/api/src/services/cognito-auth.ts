/**
 * Cognito's user-facing flows through the confidential ("server") app client: every call that Cognito
 * authenticates with the client secret carries SECRET_HASH = base64(HMAC-SHA256(secret, username + clientId)).
 * Cognito's own errors are thrown unchanged; `cognito-errors.ts` maps them for clients.
 */
import { createHmac } from 'node:crypto';

import {
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  type CodeDeliveryDetailsType,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AuthTokens, CodeDelivery } from '@tenantry/shared';

export interface CognitoAuthSettings {
  region: string;
  endpoint?: string | undefined;
  clientId: string;
  clientSecret: string;
}

/** Tokens of a sign-in, or of a refresh (Cognito keeps the refresh token unless it rotates it). */
export type IssuedTokens = AuthTokens;

/** Cognito asked for a step (a challenge) instead of issuing tokens. */
export class ChallengeRequired extends Error {
  constructor(readonly challenge: string) {
    super(`Cognito asks for the ${challenge} challenge`);
    this.name = 'ChallengeRequired';
  }
}

export interface CognitoAuth {
  /** The SDK client: tests add a middleware to it to see what is sent. */
  readonly client: CognitoIdentityProviderClient;
  readonly clientId: string;
  secretHash(username: string): string;
  signUp(input: { email: string; password: string; name: string }): Promise<{ sub: string; delivery: CodeDelivery }>;
  confirmSignUp(email: string, code: string): Promise<void>;
  resendCode(email: string): Promise<CodeDelivery>;
  signIn(email: string, password: string): Promise<IssuedTokens>;
  refresh(refreshToken: string, username: string): Promise<IssuedTokens>;
  forgotPassword(email: string): Promise<CodeDelivery>;
  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void>;
  changePassword(accessToken: string, currentPassword: string, newPassword: string): Promise<void>;
  revoke(refreshToken: string): Promise<void>;
  destroy(): void;
}

function delivery(details: CodeDeliveryDetailsType | undefined): CodeDelivery {
  const medium = details?.DeliveryMedium;
  return { destination: details?.Destination ?? null, medium: medium === 'EMAIL' || medium === 'SMS' ? medium : null };
}

export function createCognitoAuth(settings: CognitoAuthSettings): CognitoAuth {
  const { clientId, clientSecret } = settings;
  const client = new CognitoIdentityProviderClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: 2,
  });
  const secretHash = (username: string) =>
    createHmac('sha256', clientSecret)
      .update(username + clientId)
      .digest('base64');

  async function initiate(flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', params: Record<string, string>) {
    const out = await client.send(
      new InitiateAuthCommand({ AuthFlow: flow, ClientId: clientId, AuthParameters: params }),
    );
    const result = out.AuthenticationResult;
    if (!result?.AccessToken || !result.IdToken) throw new ChallengeRequired(out.ChallengeName ?? 'unknown');
    return {
      accessToken: result.AccessToken,
      idToken: result.IdToken,
      ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
      expiresIn: result.ExpiresIn ?? 3600,
    };
  }

  return {
    client,
    clientId,
    secretHash,
    async signUp({ email, password, name }) {
      const out = await client.send(
        new SignUpCommand({
          ClientId: clientId,
          SecretHash: secretHash(email),
          Username: email,
          Password: password,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'name', Value: name },
          ],
        }),
      );
      return { sub: out.UserSub ?? '', delivery: delivery(out.CodeDeliveryDetails) };
    },
    async confirmSignUp(email, code) {
      await client.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          SecretHash: secretHash(email),
          Username: email,
          ConfirmationCode: code,
        }),
      );
    },
    async resendCode(email) {
      const out = await client.send(
        new ResendConfirmationCodeCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }),
      );
      return delivery(out.CodeDeliveryDetails);
    },
    signIn(email, password) {
      return initiate('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash(email) });
    },
    refresh(refreshToken, username) {
      return initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken, SECRET_HASH: secretHash(username) });
    },
    async forgotPassword(email) {
      const out = await client.send(
        new ForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }),
      );
      return delivery(out.CodeDeliveryDetails);
    },
    async confirmForgotPassword(email, code, newPassword) {
      await client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          SecretHash: secretHash(email),
          Username: email,
          ConfirmationCode: code,
          Password: newPassword,
        }),
      );
    },
    async changePassword(accessToken, currentPassword, newPassword) {
      // Authorised by the access token itself (no SECRET_HASH: Cognito does not take one here).
      await client.send(
        new ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: currentPassword,
          ProposedPassword: newPassword,
        }),
      );
    },
    async revoke(refreshToken) {
      // RevokeToken authenticates a confidential client with the secret itself, not a hash.
      await client.send(
        new RevokeTokenCommand({ ClientId: clientId, ClientSecret: clientSecret, Token: refreshToken }),
      );
    },
    destroy() {
      client.destroy();
    },
  };
}
