/**
 * Tokens used where they must not be, and what offline verification can and cannot know.
 * Forged tokens (expired, other client, ID token, foreign issuer, not yet valid) are in auth.test.ts and
 * the verifier's unit tests; NODE_ENV=production refusing the emulator issuer (whose signing key is
 * public) is tested in src/env.test.ts and in shutdown.test.ts (the process refuses to start).
 */
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { AuthTokens } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EnvError, parseEnv } from '../src/env.js';
import { bearer, buildTestApp, trpcMutation, trpcQuery, type TestApp } from './helpers/app.js';
import { claimsOf } from './helpers/forge.js';
import { cognito, createUser, stackEnv } from './helpers/stack-env.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('token attacks', () => {
  it('a refresh token used as an access token: 401', async () => {
    const user = await createUser();
    const res = await trpcQuery(t.app, 'auth.me', bearer(user.tokens.refreshToken));
    expect(res.status).toBe(401);
    expect(res.body.error?.data.appCode).toBe('TOKEN_INVALID');
  });

  it('an access token used as a refresh token: refused', async () => {
    const user = await createUser();
    const res = await trpcMutation(t.app, 'auth.refresh', { refreshToken: user.tokens.accessToken });
    expect(res.status).toBe(401);
  });

  /**
   * Known and accepted: the API verifies access tokens offline (signature, issuer, expiry), so a token
   * of a user deleted from Cognito keeps working until it expires, at most the access token lifetime
   * (1 hour on Tenantry's app clients). Refreshing is refused at once. Revocation that must take effect
   * sooner needs an online check per request (GetUser), which the API does not make.
   */
  it('the token of a deleted user is accepted until it expires (1 h); its refresh is refused at once', async () => {
    const user = await createUser();
    const signedIn = await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password });
    const tokens = signedIn.body.result?.data as AuthTokens;
    expect((await trpcQuery(t.app, 'auth.me', bearer(tokens.accessToken))).status).toBe(200); // row exists
    await cognito().send(
      new AdminDeleteUserCommand({ UserPoolId: stackEnv().COGNITO_USER_POOL_ID, Username: user.email }),
    );
    const me = await trpcQuery(t.app, 'auth.me', bearer(tokens.accessToken));
    expect(me.status).toBe(200);
    const claims = claimsOf(tokens.accessToken);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    const refresh = await trpcMutation(t.app, 'auth.refresh', { refreshToken: tokens.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it('a deleted user never seen by the API is refused (its profile cannot be loaded): 401', async () => {
    const user = await createUser();
    await cognito().send(
      new AdminDeleteUserCommand({ UserPoolId: stackEnv().COGNITO_USER_POOL_ID, Username: user.email }),
    );
    const me = await trpcQuery(t.app, 'auth.me', bearer(user.tokens.accessToken));
    expect(me.status).toBe(401);
    expect(me.body.error?.data.appCode).toBe('TOKEN_INVALID');
  });

  /**
   * Known and accepted, as with Cognito itself: auth.signOut revokes the refresh token (RevokeToken), so
   * no new access token can be obtained, but an access token already issued verifies offline until it
   * expires (1 h). Clients drop their tokens on sign-out.
   */
  it('after auth.signOut the access token still verifies until expiry; the refresh token is dead', async () => {
    const user = await createUser();
    const tokens = (await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password })).body
      .result?.data as AuthTokens;
    expect((await trpcMutation(t.app, 'auth.signOut', { refreshToken: tokens.refreshToken })).status).toBe(200);
    expect((await trpcQuery(t.app, 'auth.me', bearer(tokens.accessToken))).status).toBe(200);
    expect((await trpcMutation(t.app, 'auth.refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
    const again = await trpcMutation(t.app, 'auth.signOut', { refreshToken: tokens.refreshToken });
    expect([200, 401]).toContain(again.status);
  });

  it('NODE_ENV=production refuses the emulator issuer (see also src/env.test.ts, shutdown.test.ts)', () => {
    expect(() => parseEnv({ ...stackEnv(), NODE_ENV: 'production' })).toThrow(EnvError);
  });
});
