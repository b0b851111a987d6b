import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  AdminCreateUserCommand,
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  GetBucketCorsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, describe, expect, it } from 'vitest';

import { localCognitoClient } from '../src/local-stack/cognito-provision.js';
import {
  LOCAL_CONFIRMATION_CODE,
  type LocalStack,
  LocalStackError,
  startLocalStack,
} from '../src/local-stack/index.js';
import { withPgClient } from '../src/local-stack/pg-admin.js';
import { isAlive } from '../src/local-stack/processes.js';
import {
  cognito,
  createUser,
  demoUser,
  localOnly,
  signIn,
  signUpUnconfirmed,
  stackEnv,
  uniqueEmail,
} from './helpers/stack-env.js';

/** Rejects with the Cognito error's name and message, to compare with what the real service says. */
async function cognitoError(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
  throw new Error('expected the call to fail');
}

/** Verifies a token the way the API does: RS256 against the pool's JWKS, fixed issuer. */
async function verifyToken(token: string, tokenUse: 'access' | 'id') {
  const env = stackEnv();
  const issuer = `${localOnly('COGNITO_ENDPOINT')}/${env.COGNITO_USER_POOL_ID}`;
  const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as Jwks;
  const verifier = JwtVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
  verifier.cacheJwks(jwks);
  const payload = verifier.verifySync(token);
  expect(payload.token_use).toBe(tokenUse);
  return payload;
}

describe('Cognito compatibility proxy', () => {
  it('refreshes a session the way aws-amplify 6.22 does (GetTokensFromRefreshToken)', async () => {
    const user = await createUser();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later iat than the sign-in
    const { AuthenticationResult: result } = await cognito().send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: stackEnv().COGNITO_SPA_CLIENT_ID,
        RefreshToken: user.tokens.refreshToken,
      }),
    );
    expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(result?.AccessToken).not.toBe(user.tokens.accessToken);
    const access = await verifyToken(result?.AccessToken ?? '', 'access');
    const original = await verifyToken(user.tokens.accessToken, 'access');
    expect(access).toMatchObject({ sub: original.sub, client_id: stackEnv().COGNITO_SPA_CLIENT_ID });
    expect((access.iat ?? 0) > (original.iat ?? 0)).toBe(true);
    expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(3600); // the SPA client's 1 h access tokens
    const id = await verifyToken(result?.IdToken ?? '', 'id');
    expect(id).toMatchObject({ email: user.email, aud: stackEnv().COGNITO_SPA_CLIENT_ID });
  });

  it('checks the confidential client secret on GetTokensFromRefreshToken', async () => {
    const user = await createUser();
    const wrong = await cognitoError(
      cognito().send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: localOnly('COGNITO_SERVER_CLIENT_ID'),
          ClientSecret: 'not-the-secret',
          RefreshToken: user.tokens.refreshToken,
        }),
      ),
    );
    expect(wrong.name).toBe('NotAuthorizedException');
    const { AuthenticationResult } = await cognito().send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: localOnly('COGNITO_SERVER_CLIENT_ID'),
        ClientSecret: localOnly('COGNITO_SERVER_CLIENT_SECRET'),
        RefreshToken: user.tokens.refreshToken,
      }),
    );
    expect((await verifyToken(AuthenticationResult?.AccessToken ?? '', 'access')).client_id).toBe(
      localOnly('COGNITO_SERVER_CLIENT_ID'),
    );
  });

  it('refuses SRP and USER_AUTH with a message that names the supported flow', async () => {
    const clientId = stackEnv().COGNITO_SPA_CLIENT_ID;
    for (const flow of ['USER_SRP_AUTH', 'USER_AUTH'] as const) {
      const error = await cognitoError(
        cognito().send(
          new InitiateAuthCommand({
            AuthFlow: flow,
            ClientId: clientId,
            AuthParameters: { USERNAME: 'a@b.c', SRP_A: 'ab' },
          }),
        ),
      );
      expect(error.name).toBe('InvalidParameterException');
      expect(error.message).toContain(`${flow} is not supported by the local Cognito emulator`);
      expect(error.message).toContain('USER_PASSWORD_AUTH');
    }
    const challenge = await cognitoError(
      cognito().send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {},
        }),
      ),
    );
    expect(challenge.name).toBe('InvalidParameterException');
  });

  it('answers ResendConfirmationCode for unknown, confirmed and unconfirmed users', async () => {
    const clientId = stackEnv().COGNITO_SPA_CLIENT_ID;
    const resend = (username: string) =>
      cognito().send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));

    expect(await cognitoError(resend(uniqueEmail('nobody')))).toMatchObject({ name: 'UserNotFoundException' });
    expect(await cognitoError(resend(demoUser('owner').email))).toEqual({
      name: 'InvalidParameterException',
      message: 'User is already confirmed.',
    });

    const pending = await signUpUnconfirmed();
    const { CodeDeliveryDetails } = await resend(pending.email);
    expect(CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: `${pending.email[0]}***@t***`,
    });
    // The code is the fixed local one.
    await cognito().send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: pending.email,
        ConfirmationCode: LOCAL_CONFIRMATION_CODE,
      }),
    );
    expect(await cognitoError(resend(pending.email))).toMatchObject({ message: 'User is already confirmed.' });
    expect((await signIn(pending.email, pending.password)).accessToken).toBeTruthy();
  });

  it('GlobalSignOut revokes the refresh tokens issued before it, not the ones after', async () => {
    const env = stackEnv();
    const user = await createUser();
    const second = await signIn(user.email, user.password); // another device
    await cognito().send(new GlobalSignOutCommand({ AccessToken: user.tokens.accessToken }));

    for (const refreshToken of [user.tokens.refreshToken, second.refreshToken]) {
      expect(
        await cognitoError(
          cognito().send(
            new GetTokensFromRefreshTokenCommand({ ClientId: env.COGNITO_SPA_CLIENT_ID, RefreshToken: refreshToken }),
          ),
        ),
      ).toEqual({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    }
    expect(
      await cognitoError(
        cognito().send(
          new InitiateAuthCommand({
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            ClientId: env.COGNITO_SPA_CLIENT_ID,
            AuthParameters: { REFRESH_TOKEN: user.tokens.refreshToken },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect(await cognitoError(cognito().send(new GetUserCommand({ AccessToken: second.accessToken })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });

    // A new sign-in after the sign-out works, refresh included.
    const fresh = await signIn(user.email, user.password);
    const { AuthenticationResult } = await cognito().send(
      new GetTokensFromRefreshTokenCommand({ ClientId: env.COGNITO_SPA_CLIENT_ID, RefreshToken: fresh.refreshToken }),
    );
    expect(AuthenticationResult?.AccessToken).toBeTruthy();
    expect((await cognito().send(new GetUserCommand({ AccessToken: fresh.accessToken }))).UserAttributes).toBeDefined();
  });

  it('refuses GlobalSignOut with a token that does not verify', async () => {
    const user = await createUser();
    const [header, payload] = user.tokens.accessToken.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(342)}`;
    expect(await cognitoError(cognito().send(new GlobalSignOutCommand({ AccessToken: tampered })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
  });

  it('answers the browser SPA at another origin: preflight and response CORS headers', async () => {
    const endpoint = localOnly('COGNITO_ENDPOINT');
    const requested = 'content-type,x-amz-target,x-amz-user-agent,cache-control,amz-sdk-invocation-id,amz-sdk-request';
    const preflight = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': requested,
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of requested.split(',')) expect(allowed).toContain(header);

    // Both a forwarded call and one the proxy answers itself carry the CORS headers.
    for (const target of ['InitiateAuth', 'GetTokensFromRefreshToken']) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          origin: 'http://127.0.0.1:5173',
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
        },
        body: JSON.stringify({
          ClientId: stackEnv().COGNITO_SPA_CLIENT_ID,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {},
        }),
      });
      expect(response.status, target).toBe(400);
      expect(response.headers.get('access-control-allow-origin'), target).toBe('*');
      expect(response.headers.get('access-control-expose-headers'), target).toContain('x-amzn-ErrorType');
    }
  });

  it('serves the JWKS and a discovery document with the proxy as issuer', async () => {
    const env = stackEnv();
    const issuer = `${localOnly('COGNITO_ENDPOINT')}/${env.COGNITO_USER_POOL_ID}`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(discovery).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` });
    const jwks = (await (await fetch(discovery.jwks_uri ?? '')).json()) as Jwks;
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
  });

  it('provisions the demo users: confirmed, verified e-mail, the admin in superadmin', async () => {
    const admin = demoUser('superadmin');
    const tokens = await signIn(admin.email, admin.password);
    expect((await verifyToken(tokens.accessToken, 'access'))['cognito:groups']).toEqual(['superadmin']);
    const id = await verifyToken(tokens.idToken, 'id');
    expect(id).toMatchObject({ email: admin.email, email_verified: true });
    const owner = demoUser('owner');
    const ownerId = await verifyToken((await signIn(owner.email, owner.password)).idToken, 'id');
    expect(ownerId['cognito:groups']).toBeUndefined();
    expect(owner.password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{8,}$/);
  });
});

describe('S3 stand-in', () => {
  const s3 = () => {
    const env = stackEnv();
    return new S3Client({
      endpoint: localOnly('S3_ENDPOINT'),
      region: env.S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  };

  it('has the bucket, with a CORS rule for browser uploads', async () => {
    const client = s3();
    const bucket = stackEnv().S3_BUCKET;
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    const { CORSRules = [] } = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(CORSRules[0]).toMatchObject({ AllowedOrigins: ['*'], ExposeHeaders: ['ETag'] });
    expect(CORSRules[0]?.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'PUT', 'POST', 'HEAD']));

    const preflight = await fetch(`${localOnly('S3_ENDPOINT')}/${bucket}/some/key.txt`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    client.destroy();
  });

  it('paginates ListObjectsV2 on Node 20 (continuation tokens need DES)', async () => {
    const client = s3();
    const bucket = stackEnv().S3_BUCKET;
    const prefix = `paging-${Date.now()}/`;
    for (const name of ['a', 'b', 'c']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: name }));
    }
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 2, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys).toEqual(['a', 'b', 'c'].map((n) => `${prefix}${n}`));
    client.destroy();
  });
});

describe('startLocalStack', () => {
  const dirs: string[] = [];
  const stacks: LocalStack[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenantry-stack-test-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string, env: Record<string, string> = {}) => {
    const stack = await startLocalStack({ dataDir, env });
    stacks.push(stack);
    return stack;
  };
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('starts no part whose configuration is set', async () => {
    const dataDir = await tempDir();
    const none = await start(dataDir, {
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      COGNITO_REGION: 'eu-west-1',
      S3_BUCKET: 'bucket',
      MASTER_KEY: 'configured',
    });
    expect(none).toMatchObject({ started: [], env: {}, demoUsers: [] });

    const s3Only = await start(dataDir, {
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      COGNITO_USER_POOL_ID: 'eu-west-1_abc',
      MASTER_KEY: 'configured',
    });
    expect(s3Only.started).toEqual(['s3']);
    expect(Object.keys(s3Only.env).sort()).toEqual(
      [
        'S3_ACCESS_KEY_ID',
        'S3_BUCKET',
        'S3_ENDPOINT',
        'S3_FORCE_PATH_STYLE',
        'S3_REGION',
        'S3_SECRET_ACCESS_KEY',
      ].sort(),
    );
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    expect(existsSync(join(dataDir, 'cognito'))).toBe(false);
    await s3Only.stop();
    await s3Only.stop(); // idempotent
  });

  it(
    'reuses its data on the next start and refuses a second launcher on the same data',
    { timeout: 90_000 },
    async () => {
      const dataDir = await tempDir();
      const first = await start(dataDir);
      expect(first.started).toEqual(['postgres', 'cognito', 's3']);
      await withPgClient(first.env.DATABASE_URL ?? '', (pg) =>
        pg.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')"),
      );
      const env = first.env;
      const owner = first.demoUsers.find((u) => u.role === 'owner');
      const client = localCognitoClient(env.COGNITO_ENDPOINT ?? '');
      const signInOwner = () =>
        client.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: env.COGNITO_SPA_CLIENT_ID,
            AuthParameters: { USERNAME: owner?.email ?? '', PASSWORD: owner?.password ?? '' },
          }),
        );
      const before = (await signInOwner()).AuthenticationResult;
      await client.send(new GlobalSignOutCommand({ AccessToken: before?.AccessToken }));
      const postmasterPid = Number(
        (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      // Writes in flight when it stops (the emulator rewrites whole JSON files) must not corrupt the pool.
      const burst = Array.from({ length: 12 }, () =>
        client.send(
          new AdminCreateUserCommand({
            UserPoolId: env.COGNITO_USER_POOL_ID,
            Username: uniqueEmail('burst'),
            MessageAction: 'SUPPRESS',
          }),
        ),
      );
      await Promise.race(burst);
      await first.stop();
      await Promise.allSettled(burst);
      expect(isAlive(postmasterPid)).toBe(false);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      // A postmaster.pid left by a killed run, naming a pid that no longer runs, must not block the start.
      await writeFile(join(dataDir, 'postgres', 'postmaster.pid'), `${postmasterPid}\n${join(dataDir, 'postgres')}\n`);

      const second = await start(dataDir);
      expect(second.env).toEqual(env); // same ports, pool, clients, secret and database credentials
      expect(second.demoUsers).toEqual(first.demoUsers);
      const rows = await withPgClient(second.env.DATABASE_URL ?? '', (pg) => pg.query('SELECT v FROM kept'));
      expect(rows.rows).toEqual([{ v: 'still here' }]);
      // The sign-out ledger survived the restart.
      expect(
        await cognitoError(
          client.send(
            new GetTokensFromRefreshTokenCommand({
              ClientId: env.COGNITO_SPA_CLIENT_ID,
              RefreshToken: before?.RefreshToken,
            }),
          ),
        ),
      ).toMatchObject({ message: 'Refresh Token has been revoked' });
      expect((await signInOwner()).AuthenticationResult?.AccessToken).toBeTruthy();
      client.destroy();

      const conflict = await startLocalStack({ dataDir, env: {} }).catch((error: unknown) => error);
      expect(conflict).toBeInstanceOf(LocalStackError);
      expect((conflict as LocalStackError).part).toBe('postgres');
      expect((conflict as LocalStackError).message).toMatch(/^postgres: already running on /);
      const cognitoConflict = await startLocalStack({
        dataDir,
        env: { DATABASE_URL: 'postgres://x@127.0.0.1/x' },
      }).catch((e: unknown) => e);
      expect(cognitoConflict).toMatchObject({ part: 'cognito' });
      await second.stop();
    },
  );

  it(
    'takes a new port when a remembered one is taken, and names the part that fails',
    { timeout: 60_000 },
    async () => {
      const dataDir = await tempDir();
      const env = { DATABASE_URL: 'postgres://x@127.0.0.1/x', COGNITO_REGION: 'local' };
      const first = await start(dataDir, env);
      const port = Number(new URL(first.env.S3_ENDPOINT ?? '').port);
      await first.stop();

      const squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
      try {
        const second = await start(dataDir, env);
        expect(Number(new URL(second.env.S3_ENDPOINT ?? '').port)).not.toBe(port);
        await second.stop();
      } finally {
        squatter.close();
      }

      // A cluster directory that postgres cannot use: the error names postgres and its cause.
      const broken = await tempDir();
      await writeFile(
        join(broken, 'local-stack.json'),
        JSON.stringify({ ports: {}, postgres: { user: 'tenantry', password: 'x' } }),
      );
      await start(broken, { COGNITO_REGION: 'local', S3_BUCKET: 'b' }).then((s) => s.stop());
      await writeFile(join(broken, 'postgres', 'postgresql.auto.conf'), 'shared_buffers = nonsense\n');
      const failure = await startLocalStack({
        dataDir: broken,
        env: { COGNITO_REGION: 'local', S3_BUCKET: 'b' },
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LocalStackError);
      expect((failure as LocalStackError).message).toMatch(/^postgres: .*shared_buffers/s);
    },
  );
});
