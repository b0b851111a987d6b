import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, TokenVerificationError, type AccessTokenVerifier } from './token-verifier.js';

const CLIENT = 'spa-client';
const KID = 'key-1';
let server: Server;
let issuer: string;
let privateKey: CryptoKey;
let publicPem: string;
let otherKey: CryptoKey;
let verifier: AccessTokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  // A real HTTP JWKS endpoint, as Cognito (or its emulator) serves it.
  server = createServer((req, res) => {
    if (req.url?.endsWith('/.well-known/jwks.json')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local_pool`;
  verifier = createAccessTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientIds: [CLIENT] });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const now = () => Math.floor(Date.now() / 1000);

function accessClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: 'user-sub-1',
    iss: issuer,
    client_id: CLIENT,
    token_use: 'access',
    username: 'user-sub-1',
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': ['superadmin'],
    iat: now(),
    exp: now() + 3600,
    ...overrides,
  };
}

function sign(claims: JWTPayload, key: CryptoKey = privateKey, kid = KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function rejection(token: string): Promise<TokenVerificationError> {
  const err: unknown = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenVerificationError);
  return err as TokenVerificationError;
}

describe('access token verifier', () => {
  it('accepts a valid access token and returns its claims', async () => {
    const claims = await verifier.verify(await sign(accessClaims()));
    expect(claims).toMatchObject({ sub: 'user-sub-1', clientId: CLIENT, groups: ['superadmin'] });
  });

  it('refuses an expired token as expired', async () => {
    const err = await rejection(await sign(accessClaims({ iat: now() - 7200, exp: now() - 3600 })));
    expect(err.reason).toBe('expired');
  });

  it('refuses a token that is not valid yet', async () => {
    const err = await rejection(await sign(accessClaims({ nbf: now() + 600 })));
    expect(err.reason).toBe('invalid');
    expect(err.message).toMatch(/not valid yet/);
  });

  it("refuses another app client's token", async () => {
    expect((await rejection(await sign(accessClaims({ client_id: 'someone-elses-client' })))).reason).toBe('invalid');
  });

  it('refuses an ID token in place of the access token', async () => {
    const { client_id: _omit, ...rest } = accessClaims({ token_use: 'id', aud: CLIENT, email: 'a@b.c' });
    expect((await rejection(await sign(rest))).reason).toBe('invalid');
  });

  it('refuses a token whose only difference is token_use "id"', async () => {
    expect((await rejection(await sign(accessClaims({ token_use: 'id' })))).reason).toBe('invalid');
  });

  it('refuses alg "none"', async () => {
    const token = `${b64url({ alg: 'none', kid: KID, typ: 'JWT' })}.${b64url(accessClaims())}.`;
    expect((await rejection(token)).reason).toBe('invalid');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const signingInput = `${b64url({ alg: 'HS256', kid: KID, typ: 'JWT' })}.${b64url(accessClaims())}`;
    const signature = createHmac('sha256', publicPem).update(signingInput).digest('base64url');
    expect((await rejection(`${signingInput}.${signature}`)).reason).toBe('invalid');
  });

  it('refuses a key id the JWKS does not have', async () => {
    expect((await rejection(await sign(accessClaims(), otherKey, 'unknown-kid'))).reason).toBe('invalid');
  });

  it('refuses a token signed by another key under a known key id', async () => {
    expect((await rejection(await sign(accessClaims(), otherKey))).reason).toBe('invalid');
  });

  it('refuses a foreign issuer', async () => {
    expect((await rejection(await sign(accessClaims({ iss: 'https://evil.example/pool' })))).reason).toBe('invalid');
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign(accessClaims())).split('.');
    const forged = `${header}.${b64url(accessClaims({ 'cognito:groups': ['superadmin', 'root'], sub: 'someone-else' }))}.${signature}`;
    expect((await rejection(forged)).reason).toBe('invalid');
  });

  it('refuses garbage', async () => {
    expect((await rejection('not-a-jwt')).reason).toBe('invalid');
  });
});
