/**
 * The Cognito endpoint of the local stack: a small HTTP proxy in front of cognito-local 5.3.0.
 *
 * Our one documented choice: keep the current aws-amplify (6.22.x) and close the emulator's gaps here,
 * instead of pinning an old Amplify. Everything is forwarded unchanged (JWKS, CORS preflights, every
 * other target) except:
 * - GetTokensFromRefreshToken: missing in the emulator, and aws-amplify ≥ 6.15.4 refreshes sessions
 *   only through it; answered with the emulator's InitiateAuth REFRESH_TOKEN_AUTH.
 * - ResendConfirmationCode: missing; checked through the admin API (the code stays the fixed CODE).
 * - GlobalSignOut / AdminUserGlobalSignOut: missing; recorded as "signed out at T" per user in
 *   `signed-out.json`, after which refresh tokens (and access tokens, for Cognito's own user calls)
 *   issued before T are refused, as Cognito does.
 * - InitiateAuth / RespondToAuthChallenge with SRP or USER_AUTH: the emulator cannot do them; refused
 *   with a clear message (the SPA uses USER_PASSWORD_AUTH against the local stack).
 * - SECRET_HASH: the emulator accepts any (or none). For app clients with a secret the proxy checks it
 *   as Cognito does, base64(HMAC-SHA256(secret, username + clientId)), on the calls that carry one, and
 *   the ClientSecret of RevokeToken, so a wrong secret fails locally as it would in production.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
  createServer,
  request,
} from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';

import { reason } from './errors.js';
import { isRecord, readJson, writeJsonAtomic } from './files.js';

type Json = Record<string, unknown>;

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY_BYTES = 1024 * 1024;

/** Headers the browser may read from a Cognito answer (Amplify reads the error type from them). */
const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date';

/** Challenges of the SRP and USER_AUTH (choice-based) flows, which cognito-local cannot answer. */
const UNSUPPORTED_CHALLENGES = new Set([
  'PASSWORD_VERIFIER',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'SELECT_CHALLENGE',
  'PASSWORD',
  'PASSWORD_SRP',
  'WEB_AUTHN',
  'EMAIL_OTP',
]);

/** An error in Cognito's JSON shape: `{ __type, message }`, status 400 unless said otherwise. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function unsupportedFlow(what: string): CognitoError {
  return new CognitoError(
    'InvalidParameterException',
    `${what} is not supported by the local Cognito emulator (cognito-local): use USER_PASSWORD_AUTH. ` +
      'Against the local stack the SPA is configured for that flow; real Cognito supports both.',
  );
}

function decodeJwtPayload(token: unknown): Json | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isRecord(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `o***@e***` as Cognito masks a delivery destination. */
function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

interface SignOut {
  sub?: string;
  /** Unix seconds: tokens with an earlier `iat` are revoked. */
  signedOutAt: number;
}

/** Per user (`<poolId>/<username>`), when they last signed out everywhere; persisted in the data dir. */
class SignOutLedger {
  private entries: Record<string, SignOut> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  private async load(): Promise<Record<string, SignOut>> {
    if (!this.entries) {
      const stored = await readJson(this.file);
      this.entries = {};
      if (isRecord(stored)) {
        for (const [key, value] of Object.entries(stored)) {
          if (isRecord(value) && typeof value.signedOutAt === 'number') {
            this.entries[key] = { sub: text(value.sub), signedOutAt: value.signedOutAt };
          }
        }
      }
    }
    return this.entries;
  }

  async signedOutAt(poolId: string, username: string): Promise<number | undefined> {
    return (await this.load())[`${poolId}/${username}`]?.signedOutAt;
  }

  async record(poolId: string, username: string, entry: SignOut): Promise<void> {
    const entries = await this.load();
    entries[`${poolId}/${username}`] = entry;
    const snapshot = { ...entries };
    this.writing = this.writing.then(() => writeJsonAtomic(this.file, snapshot));
    await this.writing;
  }
}

interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CompatProxyOptions {
  /** cognito-local's own URL (http://127.0.0.1:<internal port>). */
  upstream: string;
  /** This proxy's URL, which is also the tokens' issuer domain. */
  publicUrl: string;
  port: number;
  /** Where the sign-out ledger lives. */
  ledgerFile: string;
  /** The fixed confirmation code of the emulator (its CODE variable). */
  confirmationCode: string;
  log: (line: string) => void;
}

export interface CompatProxy {
  url: string;
  close(): Promise<void>;
}

export async function startCompatProxy(options: CompatProxyOptions): Promise<CompatProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const ledger = new SignOutLedger(options.ledgerFile);
  const clients = new Map<string, { poolId: string; secret?: string }>();
  const verifiers = new Map<string, { verifySync(token: string): Json }>();
  let closing = false;

  function send(
    upstreamPath: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<UpstreamReply> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: upstream.hostname, port: upstream.port, path: upstreamPath, method, headers, agent },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Calls a target of the emulator; its errors come back as CognitoError with its own type. */
  async function call(operation: string, input: Json): Promise<Json> {
    const reply = await send(
      '/',
      'POST',
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      Buffer.from(JSON.stringify(input)),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.body.toString('utf8') || '{}');
    } catch {
      throw new CognitoError('InternalErrorException', `emulator answered ${operation} with invalid JSON`, 500);
    }
    const body = isRecord(parsed) ? parsed : {};
    if (reply.status !== 200) {
      const type = text(body.__type)?.split('#').pop() ?? 'InternalErrorException';
      throw new CognitoError(type, text(body.message) ?? `${operation} failed`, reply.status);
    }
    return body;
  }

  /** The pool (and secret) of an app client; the emulator has no call for it, so the pools are searched. */
  async function clientInfo(clientId: string): Promise<{ poolId: string; secret?: string }> {
    const known = clients.get(clientId);
    if (known) return known;
    const { UserPools } = await call('ListUserPools', { MaxResults: 60 });
    for (const pool of Array.isArray(UserPools) ? UserPools : []) {
      const poolId = isRecord(pool) ? text(pool.Id) : undefined;
      if (!poolId) continue;
      const { UserPoolClients } = await call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 });
      const found = (Array.isArray(UserPoolClients) ? UserPoolClients : []).some(
        (client) => isRecord(client) && client.ClientId === clientId,
      );
      if (!found) continue;
      const { UserPoolClient } = await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
      const info = { poolId, secret: isRecord(UserPoolClient) ? text(UserPoolClient.ClientSecret) : undefined };
      clients.set(clientId, info);
      return info;
    }
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }

  /** The pool id of a token issued through this proxy (its `iss` is `<publicUrl>/<poolId>`). */
  function poolOf(claims: Json): string | undefined {
    const issuer = text(claims.iss);
    const prefix = `${options.publicUrl}/`;
    return issuer?.startsWith(prefix) ? issuer.slice(prefix.length) : undefined;
  }

  async function isRevoked(claims: Json | undefined, usernameClaim: 'username' | 'cognito:username'): Promise<boolean> {
    const poolId = claims && poolOf(claims);
    const username = claims && text(claims[usernameClaim]);
    if (!claims || !poolId || !username || typeof claims.iat !== 'number') return false;
    const signedOutAt = await ledger.signedOutAt(poolId, username);
    return signedOutAt !== undefined && claims.iat < signedOutAt;
  }

  async function refuseRevokedRefreshToken(token: unknown): Promise<void> {
    if (await isRevoked(decodeJwtPayload(token), 'cognito:username')) {
      throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
    }
  }

  async function verifyAccessToken(token: unknown): Promise<Json> {
    const claims = decodeJwtPayload(token);
    const poolId = claims && poolOf(claims);
    if (typeof token !== 'string' || !claims || !poolId) {
      throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    let verifier = verifiers.get(poolId);
    if (!verifier) {
      const jwks = await send(`/${poolId}/.well-known/jwks.json`, 'GET', {}, Buffer.alloc(0));
      const created = JwtVerifier.create({
        issuer: `${options.publicUrl}/${poolId}`,
        audience: null,
        jwksUri: `${options.upstream}/${poolId}/.well-known/jwks.json`,
      });
      created.cacheJwks(JSON.parse(jwks.body.toString('utf8')) as Jwks);
      verifier = created;
      verifiers.set(poolId, verifier);
    }
    let payload: Json;
    try {
      payload = verifier.verifySync(token);
    } catch (error) {
      throw new CognitoError(
        'NotAuthorizedException',
        error instanceof JwtExpiredError ? 'Access Token has expired' : 'Invalid Access Token',
      );
    }
    if (payload.token_use !== 'access') throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    return payload;
  }

  /**
   * Tokens carry `iat` in whole seconds: the sign-out time is rounded up to the next second and the
   * answer waits for it, so every earlier token has an older `iat` and every later one does not.
   */
  async function signOutEverywhere(poolId: string, username: string, sub: string | undefined): Promise<void> {
    const signedOutAt = Math.ceil(Date.now() / 1000);
    await ledger.record(poolId, username, { sub, signedOutAt });
    const wait = signedOutAt * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
  }

  /** AuthenticationResult as the real service returns it (the emulator leaves TokenType/ExpiresIn out). */
  function completeAuthResult(result: unknown): Json {
    const tokens = isRecord(result) ? result : {};
    const access = decodeJwtPayload(tokens.AccessToken);
    const expiresIn =
      access && typeof access.exp === 'number' && typeof access.iat === 'number' ? access.exp - access.iat : 3600;
    return Object.fromEntries(
      Object.entries({ ...tokens, ExpiresIn: expiresIn, TokenType: 'Bearer' }).filter(
        ([, value]) => value !== undefined,
      ),
    );
  }

  /** The username and SECRET_HASH a call carries, for the calls Cognito checks a hash on. */
  function secretHashOf(operation: string, input: Json): { usernames: string[]; hash: unknown } | undefined {
    switch (operation) {
      case 'SignUp':
      case 'ConfirmSignUp':
      case 'ResendConfirmationCode':
      case 'ForgotPassword':
      case 'ConfirmForgotPassword':
        return { usernames: [text(input.Username) ?? ''], hash: input.SecretHash };
      case 'InitiateAuth': {
        const parameters = isRecord(input.AuthParameters) ? input.AuthParameters : {};
        const flow = text(input.AuthFlow);
        if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
          // Cognito hashes the user's username here (for an e-mail pool, its uuid username / sub).
          const claims = decodeJwtPayload(parameters.REFRESH_TOKEN);
          const names = [text(claims?.['cognito:username']), text(claims?.sub)].filter((n): n is string => !!n);
          // Not one of the emulator's refresh tokens: the emulator refuses it itself.
          return names.length > 0 ? { usernames: names, hash: parameters.SECRET_HASH } : undefined;
        }
        return { usernames: [text(parameters.USERNAME) ?? ''], hash: parameters.SECRET_HASH };
      }
      case 'RespondToAuthChallenge': {
        const responses = isRecord(input.ChallengeResponses) ? input.ChallengeResponses : {};
        return { usernames: [text(responses.USERNAME) ?? ''], hash: responses.SECRET_HASH };
      }
      default:
        return undefined;
    }
  }

  async function verifyClientSecret(operation: string, input: Json): Promise<void> {
    const clientId = text(input.ClientId);
    const expected =
      operation === 'RevokeToken' ? { usernames: [], hash: input.ClientSecret } : secretHashOf(operation, input);
    if (!clientId || !expected) return;
    let secret: string | undefined;
    try {
      secret = (await clientInfo(clientId)).secret;
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'ResourceNotFoundException') return; // the emulator answers
      throw error;
    }
    if (!secret) return;
    if (typeof expected.hash !== 'string' || expected.hash === '') {
      throw new CognitoError(
        'NotAuthorizedException',
        `Client ${clientId} is configured for secret but secret was not received`,
      );
    }
    const candidates =
      operation === 'RevokeToken'
        ? [secret]
        : expected.usernames.map((username) =>
            createHmac('sha256', secret)
              .update(username + clientId)
              .digest('base64'),
          );
    const given = Buffer.from(expected.hash);
    const matches = candidates.some((c) => c.length === given.length && timingSafeEqual(Buffer.from(c), given));
    if (!matches)
      throw new CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
  }

  type Handler = (input: Json) => Promise<Json | 'forward'>;
  const handlers: Record<string, Handler> = {
    async InitiateAuth(input) {
      const flow = text(input.AuthFlow);
      if (flow === 'USER_SRP_AUTH' || flow === 'USER_AUTH') throw unsupportedFlow(flow);
      if (flow !== 'REFRESH_TOKEN_AUTH' && flow !== 'REFRESH_TOKEN') return 'forward';
      const parameters = isRecord(input.AuthParameters) ? input.AuthParameters : {};
      await refuseRevokedRefreshToken(parameters.REFRESH_TOKEN);
      const reply = await call('InitiateAuth', input);
      return { ...reply, AuthenticationResult: completeAuthResult(reply.AuthenticationResult) };
    },

    async RespondToAuthChallenge(input) {
      const challenge = text(input.ChallengeName);
      if (challenge && UNSUPPORTED_CHALLENGES.has(challenge))
        throw unsupportedFlow(`The ${challenge} challenge (SRP / USER_AUTH)`);
      return 'forward';
    },

    async GetTokensFromRefreshToken(input) {
      const refreshToken = text(input.RefreshToken);
      const clientId = text(input.ClientId);
      if (!refreshToken || !clientId) {
        throw new CognitoError('InvalidParameterException', 'RefreshToken and ClientId are required');
      }
      const client = await clientInfo(clientId);
      if (client.secret && input.ClientSecret !== client.secret) {
        throw new CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
      }
      await refuseRevokedRefreshToken(refreshToken);
      const reply = await call('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
        ClientMetadata: input.ClientMetadata,
      });
      // No refresh-token rotation here: like Cognito without rotation, no new RefreshToken is returned.
      const { RefreshToken: _unused, ...result } = completeAuthResult(reply.AuthenticationResult);
      return { AuthenticationResult: result };
    },

    async ResendConfirmationCode(input) {
      const clientId = text(input.ClientId);
      const username = text(input.Username);
      if (!clientId || !username)
        throw new CognitoError('InvalidParameterException', 'ClientId and Username are required');
      const { poolId } = await clientInfo(clientId);
      let user: Json;
      try {
        user = await call('AdminGetUser', { UserPoolId: poolId, Username: username });
      } catch (error) {
        if (error instanceof CognitoError && error.type === 'UserNotFoundException') {
          throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
        }
        throw error;
      }
      if (user.UserStatus !== 'UNCONFIRMED') {
        throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
      }
      const attributes = Array.isArray(user.UserAttributes) ? user.UserAttributes : [];
      const email = attributes.find((a): a is Json => isRecord(a) && a.Name === 'email');
      const destination = text(email?.Value) ?? username;
      options.log(`confirmation code for ${destination}: ${options.confirmationCode} (fixed local code)`);
      return {
        CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: maskEmail(destination) },
      };
    },

    async GlobalSignOut(input) {
      const claims = await verifyAccessToken(input.AccessToken);
      if (await isRevoked(claims, 'username'))
        throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
      const poolId = poolOf(claims);
      const username = text(claims.username);
      if (!poolId || !username) throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
      await signOutEverywhere(poolId, username, text(claims.sub));
      return {};
    },

    async AdminUserGlobalSignOut(input) {
      const poolId = text(input.UserPoolId);
      const username = text(input.Username);
      if (!poolId || !username)
        throw new CognitoError('InvalidParameterException', 'UserPoolId and Username are required');
      const user = await call('AdminGetUser', { UserPoolId: poolId, Username: username });
      const attributes = Array.isArray(user.UserAttributes) ? user.UserAttributes : [];
      const sub = attributes.find((a): a is Json => isRecord(a) && a.Name === 'sub');
      await signOutEverywhere(poolId, text(user.Username) ?? username, text(sub?.Value));
      return {};
    },
  };

  function writeCors(response: ServerResponse): void {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  }

  function answer(response: ServerResponse, status: number, body: Json, errorType?: string): void {
    const payload = Buffer.from(JSON.stringify(body));
    writeCors(response);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': payload.length,
      'x-amzn-requestid': randomUUID(),
      ...(errorType ? { 'x-amzn-errortype': `${errorType}:` } : {}),
    });
    response.end(payload);
  }

  async function forward(incoming: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (
        value === undefined ||
        ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)
      )
        continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers.host = upstream.host;
    const reply = await send(incoming.url ?? '/', incoming.method ?? 'GET', headers, body);
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined || ['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name))
        continue;
      response.setHeader(name, value);
    }
    writeCors(response);
    if (incoming.method === 'OPTIONS') response.setHeader('access-control-max-age', '600');
    response.setHeader('content-length', reply.body.length);
    response.writeHead(reply.status);
    response.end(reply.body);
  }

  function readBody(incoming: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new CognitoError('InvalidParameterException', 'Request body too large', 413));
          incoming.destroy();
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => resolve(Buffer.concat(chunks)));
      incoming.on('error', reject);
    });
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';

    // The emulator's discovery document names localhost:9229 whatever its address; give the real one.
    const discovery = /^\/([^/]+)\/\.well-known\/openid-configuration$/.exec(path);
    if (incoming.method === 'GET' && discovery) {
      const issuer = `${options.publicUrl}/${discovery[1]}`;
      answer(response, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
      return;
    }

    const target = incoming.headers['x-amz-target'];
    const operation =
      incoming.method === 'POST' && path === '/' && typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : undefined;
    if (operation) {
      let input: Json = {};
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
        if (isRecord(parsed)) input = parsed;
      } catch {
        throw new CognitoError('SerializationException', 'Request body is not valid JSON');
      }
      await verifyClientSecret(operation, input);
      const handler = handlers[operation];
      // Cognito's user calls stop accepting access tokens issued before a global sign-out.
      if (!handler && (await isRevoked(decodeJwtPayload(input.AccessToken), 'username'))) {
        throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
      }
      const result = handler ? await handler(input) : 'forward';
      if (result !== 'forward') {
        answer(response, 200, result);
        return;
      }
    }
    await forward(incoming, response, body);
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof CognitoError) {
        answer(response, error.status, { __type: error.type, message: error.message }, error.type);
        return;
      }
      if (!closing) options.log(`proxy error: ${reason(error)}`);
      answer(
        response,
        502,
        { __type: 'InternalErrorException', message: `local Cognito proxy: ${reason(error)}` },
        'InternalErrorException',
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: new URL(options.publicUrl).hostname }, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    url: options.publicUrl,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
