import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';

import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type ExplicitAuthFlowsType,
  ListGroupsCommand,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

import { PASSWORD_POLICY } from '@tenantry/shared';
import { isRecord, readJson, writeJsonAtomic } from './files.js';

export const POOL_NAME = 'tenantry-local';
/** The provisioning record, in the Cognito part's folder of the data directory. */
export const PROVISIONING_FILE = 'tenantry-local.json';
export const SUPERADMIN_GROUP = 'superadmin';

export interface DemoUser {
  role: 'owner' | 'superadmin';
  email: string;
  password: string;
  name: string;
}

/** What `<dataDir>/cognito/tenantry-local.json` keeps, so ids and demo passwords survive restarts. */
export interface CognitoProvisioning {
  userPoolId: string;
  spaClientId: string;
  serverClientId: string;
  serverClientSecret: string;
  demoUsers: DemoUser[];
}

const DEMO_USERS: ReadonlyArray<Omit<DemoUser, 'password'>> = [
  { role: 'owner', email: 'owner@demo.tenantry.local', name: 'Olivia Owner' },
  { role: 'superadmin', email: 'admin@demo.tenantry.local', name: 'Sam Superadmin' },
];

const AUTH_FLOWS: ExplicitAuthFlowsType[] = [
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

/** A Cognito client pointed at the local endpoint (the emulator accepts any credentials). */
export function localCognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** 16 random characters plus one of each class the pool's policy demands, shuffled. */
export function demoPassword(): string {
  const characters = [...randomBytes(12).toString('base64url'), 'A', 'z', '7', '!'];
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j] as string, characters[i] as string];
  }
  return characters.join('');
}

function readSaved(value: unknown): Partial<CognitoProvisioning> {
  if (!isRecord(value)) return {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const demoUsers = Array.isArray(value.demoUsers)
    ? value.demoUsers.filter(
        (u): u is DemoUser => isRecord(u) && typeof u.email === 'string' && typeof u.password === 'string',
      )
    : [];
  return {
    userPoolId: str(value.userPoolId),
    spaClientId: str(value.spaClientId),
    serverClientId: str(value.serverClientId),
    serverClientSecret: str(value.serverClientSecret),
    demoUsers,
  };
}

/** The demo logins a local stack in `dataDir` created (empty when it never provisioned Cognito). */
export async function readDemoUsers(dataDir: string): Promise<DemoUser[]> {
  return readSaved(await readJson(join(dataDir, 'cognito', PROVISIONING_FILE))).demoUsers ?? [];
}

async function exists(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || error instanceof UserNotFoundException) return false;
    throw error;
  }
}

/**
 * Makes sure the pool, its two app clients, the superadmin group and the demo users exist, creating
 * whatever is missing (everything on first start; again if the saved pool is gone), and saves the ids.
 */
export async function provisionCognito(endpoint: string, stateFile: string): Promise<CognitoProvisioning> {
  const cognito = localCognitoClient(endpoint);
  try {
    const saved = readSaved(await readJson(stateFile));

    let userPoolId = saved.userPoolId;
    if (!userPoolId || !(await exists(() => cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))))) {
      const { UserPool } = await cognito.send(
        new CreateUserPoolCommand({
          PoolName: POOL_NAME,
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
          Policies: {
            // The policy the SPA's checklist shows (packages/shared).
            PasswordPolicy: {
              MinimumLength: PASSWORD_POLICY.minLength,
              RequireUppercase: PASSWORD_POLICY.requireUppercase,
              RequireLowercase: PASSWORD_POLICY.requireLowercase,
              RequireNumbers: PASSWORD_POLICY.requireNumbers,
              RequireSymbols: PASSWORD_POLICY.requireSymbols,
            },
          },
        }),
      );
      if (!UserPool?.Id) throw new Error('CreateUserPool returned no pool id');
      userPoolId = UserPool.Id;
      saved.spaClientId = saved.serverClientId = saved.serverClientSecret = undefined;
    }
    const poolId = userPoolId;

    const ensureClient = async (clientId: string | undefined, withSecret: boolean) => {
      if (clientId) {
        try {
          const { UserPoolClient } = await cognito.send(
            new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
          );
          if (UserPoolClient?.ClientId) return UserPoolClient;
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      }
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: withSecret ? 'tenantry-server' : 'tenantry-spa',
          GenerateSecret: withSecret,
          ExplicitAuthFlows: AUTH_FLOWS,
          AccessTokenValidity: 1,
          IdTokenValidity: 1,
          RefreshTokenValidity: 30,
          TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
        }),
      );
      if (!UserPoolClient?.ClientId) throw new Error('CreateUserPoolClient returned no client id');
      return UserPoolClient;
    };
    const [spaClient, serverClient] = await Promise.all([
      ensureClient(saved.spaClientId, false),
      ensureClient(saved.serverClientId, true),
    ]);
    // cognito-local 5.3.0 does generate a ClientSecret for GenerateSecret: true (checked here anyway).
    if (!serverClient.ClientSecret) throw new Error('the emulator returned no ClientSecret for the server client');

    // ListGroups, not GetGroup: the emulator answers GetGroup with a 500 while a pool has no group yet.
    const { Groups: groups = [] } = await cognito.send(new ListGroupsCommand({ UserPoolId: poolId }));
    if (!groups.some((g) => g.GroupName === SUPERADMIN_GROUP)) {
      await cognito.send(
        new CreateGroupCommand({ UserPoolId: poolId, GroupName: SUPERADMIN_GROUP, Description: 'Platform operators' }),
      );
    }

    const demoUsers = await Promise.all(
      DEMO_USERS.map(async (demo): Promise<DemoUser> => {
        const password = saved.demoUsers?.find((u) => u.email === demo.email)?.password ?? demoPassword();
        const known = await exists(() =>
          cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: demo.email })),
        );
        if (!known) {
          await cognito.send(
            new AdminCreateUserCommand({
              UserPoolId: poolId,
              Username: demo.email,
              TemporaryPassword: password,
              MessageAction: 'SUPPRESS',
              UserAttributes: [
                { Name: 'email', Value: demo.email },
                { Name: 'email_verified', Value: 'true' },
                { Name: 'name', Value: demo.name },
              ],
            }),
          );
        }
        // Always: confirms a new user, and keeps the password the banner prints true after a change.
        await cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: poolId,
            Username: demo.email,
            Password: password,
            Permanent: true,
          }),
        );
        if (demo.role === 'superadmin') {
          const { Groups = [] } = await cognito.send(
            new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: demo.email }),
          );
          if (!Groups.some((g) => g.GroupName === SUPERADMIN_GROUP)) {
            await cognito.send(
              new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: demo.email, GroupName: SUPERADMIN_GROUP }),
            );
          }
        }
        return { ...demo, password };
      }),
    );

    const provisioning: CognitoProvisioning = {
      userPoolId: poolId,
      spaClientId: spaClient.ClientId as string,
      serverClientId: serverClient.ClientId as string,
      serverClientSecret: serverClient.ClientSecret,
      demoUsers,
    };
    await writeJsonAtomic(stateFile, provisioning);
    return provisioning;
  } finally {
    cognito.destroy();
  }
}
