import { createRequire } from 'node:module';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

/**
 * cognito-local signs with a private key published inside its npm package. Tests use it the way
 * an attacker could, to make tokens with a valid emulator signature but wrong claims.
 */
const require = createRequire(import.meta.url);
const { jwk } = require('cognito-local/lib/keys/cognitoLocal.private.json') as { jwk: JWK & { kid: string } };

export async function forgeEmulatorToken(claims: JWTPayload): Promise<string> {
  const key = await importJWK(jwk, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(key);
}

/** The claims of a genuine token, decoded without verification (to copy them into a forged one). */
export function claimsOf(token: string): JWTPayload {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
}
