import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { JwtExpiredError, JwtNotBeforeError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

/** The claims of a verified Cognito access token that the API relies on. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  clientId: string;
  groups: string[];
  /** Seconds since the epoch. */
  exp: number;
  /** Every claim as verified, for optional ones such as a tenant claim. */
  payload: Readonly<Record<string, unknown>>;
}

export type TokenFailure = 'expired' | 'invalid';

export class TokenVerificationError extends Error {
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TokenVerificationError';
  }
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenClaims>;
  /** Fetches the JWKS now, so the first request does not pay for it (and a bad URL shows at start). */
  hydrate(): Promise<void>;
}

export interface VerifierSettings {
  issuer: string;
  jwksUri: string;
  clientIds: readonly string[];
  /** Timeout for one JWKS download. */
  jwksTimeoutMs?: number;
}

/**
 * Fetches the JWKS with the platform's fetch: aws-jwt-verify's own fetcher speaks HTTPS only,
 * and a local Cognito emulator serves its keys over plain HTTP.
 */
function jwksFetcher(timeoutMs: number): Fetcher {
  return {
    async fetch(uri) {
      const res = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`JWKS download from ${uri} failed with HTTP ${res.status}`);
      return res.arrayBuffer();
    },
  };
}

/**
 * Verifies Cognito **access** tokens: RS256 signature against the pool's JWKS, the fixed issuer,
 * exp/nbf, `token_use === 'access'` and a `client_id` from the allow-list
 * (access tokens carry no `aud`, so `client_id` is what binds them to our app clients).
 */
export function createAccessTokenVerifier(settings: VerifierSettings): AccessTokenVerifier {
  const allowedClients = new Set(settings.clientIds);
  const verifier = JwtVerifier.create(
    {
      issuer: settings.issuer,
      jwksUri: settings.jwksUri,
      audience: null,
      customJwtCheck: ({ header, payload }) => {
        if (header.alg !== 'RS256') throw new Error(`unexpected algorithm ${String(header.alg)}`);
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (typeof payload.client_id !== 'string' || !allowedClients.has(payload.client_id)) {
          throw new Error('token issued to an app client that is not allowed');
        }
        if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('token has no subject');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher(settings.jwksTimeoutMs ?? 3000) }) },
  );

  return {
    async verify(token) {
      let payload;
      try {
        payload = await verifier.verify(token);
      } catch (err) {
        if (err instanceof JwtExpiredError) throw new TokenVerificationError('expired', 'The access token has expired');
        const detail =
          err instanceof JwtNotBeforeError ? 'The access token is not valid yet' : 'The access token is invalid';
        throw new TokenVerificationError('invalid', detail);
      }
      const groups = payload['cognito:groups'];
      return {
        sub: String(payload.sub),
        username: typeof payload.username === 'string' ? payload.username : String(payload.sub),
        clientId: payload.client_id as string, // checked to be a string in customJwtCheck
        groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
        exp: Number(payload.exp),
        payload,
      };
    },
    async hydrate() {
      await verifier.hydrate();
    },
  };
}
