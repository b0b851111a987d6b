import { randomUUID } from 'node:crypto';

import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';

import { type DemoUser, demoPassword, localCognitoClient } from '../../src/local-stack/cognito-provision.js';

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export interface TestUser {
  email: string;
  password: string;
  name: string;
  /** Cognito's username for the user (a uuid: the pool signs in by e-mail). */
  username: string;
  tokens: Tokens;
}

const REQUIRED = [
  'DATABASE_URL',
  'COGNITO_REGION',
  'COGNITO_USER_POOL_ID',
  'COGNITO_SPA_CLIENT_ID',
  'S3_BUCKET',
] as const;

/** The service variables every run has; the rest depends on which parts are stand-ins. */
export type StackEnv = Record<string, string> & Record<(typeof REQUIRED)[number], string>;

/** The services' configuration the global setup provided (stand-ins and configured services). */
export function stackEnv(): StackEnv {
  const env = inject('stackEnv');
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`the global setup provided no ${missing.join(', ')}`);
  return env as StackEnv;
}

/** A variable only the local stand-ins set (COGNITO_ENDPOINT, S3_ENDPOINT…): fails clearly without them. */
export function localOnly(name: string): string {
  const value = inject('stackEnv')[name];
  if (!value) throw new Error(`${name} is not set: this test needs the local stand-in`);
  return value;
}

export function demoUser(role: DemoUser['role']): DemoUser {
  const user = inject('demoUsers').find((u) => u.role === role);
  if (!user) throw new Error(`no ${role} demo user: Cognito is not the local emulator in this run`);
  return user;
}

let client: CognitoIdentityProviderClient | undefined;

/** A Cognito client on the emulator (through the compatibility proxy). */
export function cognito(): CognitoIdentityProviderClient {
  client ??= localCognitoClient(localOnly('COGNITO_ENDPOINT'));
  return client;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@test.tenantry.local`;
}

/** Real tokens from the emulator: InitiateAuth USER_PASSWORD_AUTH through the SPA client. */
export async function signIn(email: string, password: string): Promise<Tokens> {
  const { AuthenticationResult: result } = await cognito().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stackEnv().COGNITO_SPA_CLIENT_ID,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) throw new Error(`no tokens for ${email}`);
  return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
}

/** A new confirmed user with a unique e-mail (admin API), signed in. */
export async function createUser(
  options: { name?: string; email?: string; groups?: string[] } = {},
): Promise<TestUser> {
  const env = stackEnv();
  const email = options.email ?? uniqueEmail();
  const name = options.name ?? 'Test User';
  const password = demoPassword();
  const { User } = await cognito().send(
    new AdminCreateUserCommand({
      UserPoolId: env.COGNITO_USER_POOL_ID,
      Username: email,
      TemporaryPassword: password,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: name },
      ],
    }),
  );
  await cognito().send(
    new AdminSetUserPasswordCommand({
      UserPoolId: env.COGNITO_USER_POOL_ID,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  for (const group of options.groups ?? []) {
    await cognito().send(
      new AdminAddUserToGroupCommand({ UserPoolId: env.COGNITO_USER_POOL_ID, Username: email, GroupName: group }),
    );
  }
  return { email, password, name, username: User?.Username ?? email, tokens: await signIn(email, password) };
}

/** A user who signed up through the SPA client and has not confirmed yet (status UNCONFIRMED). */
export async function signUpUnconfirmed(): Promise<{ email: string; password: string }> {
  const email = uniqueEmail('signup');
  const password = demoPassword();
  await cognito().send(
    new SignUpCommand({
      ClientId: stackEnv().COGNITO_SPA_CLIENT_ID,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  return { email, password };
}
