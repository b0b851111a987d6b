import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserSchema } from '../src/db/control/index.js';
import { ensureUser } from '../src/services/users.js';
import { bearer, buildTestApp, trpcQuery, type TestApp } from './helpers/app.js';
import { claimsOf, forgeEmulatorToken } from './helpers/forge.js';
import { createUser, demoUser, signIn } from './helpers/stack-env.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const now = () => Math.floor(Date.now() / 1000);

describe('auth.me', () => {
  it('creates the user row once, from a real emulator token, even for concurrent first requests', async () => {
    const user = await createUser({ name: 'Ada Lovelace' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => trpcQuery(t.app, 'auth.me', bearer(user.tokens.accessToken))),
    );
    for (const r of results) expect(r.status).toBe(200);
    const ids = new Set(results.map((r) => (r.body.result?.data as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(results[0]?.body.result?.data).toMatchObject({
      email: user.email.toLowerCase(),
      name: 'Ada Lovelace',
      isSuperadmin: false,
      groups: [],
    });
    const sub = claimsOf(user.tokens.accessToken).sub;
    expect(await t.app.services.orm.em.fork().count(UserSchema, { cognitoSub: sub })).toBe(1);

    // A later sign-in (a new token) finds the same row.
    const again = await signIn(user.email, user.password);
    const later = await trpcQuery(t.app, 'auth.me', bearer(again.accessToken));
    expect((later.body.result?.data as { id: string }).id).toBe([...ids][0]);
  });

  it('converges on one row when first requests race, without a unique-e-mail error or a deadlock', async () => {
    const orm = t.app.services.orm;
    for (let round = 0; round < 10; round++) {
      const sub = randomUUID();
      const email = `race-${sub}@test.tenantry.local`;
      // Every caller misses the row, then all insert at once.
      const n = 20;
      let waiting = 0;
      let release!: () => void;
      const barrier = new Promise<void>((resolve) => (release = resolve));
      const loadProfile = async () => {
        if (++waiting === n) release();
        await barrier;
        return { email, name: null };
      };
      const users = await Promise.all(Array.from({ length: n }, () => ensureUser(orm.em.fork(), sub, loadProfile)));
      expect(new Set(users.map((u) => u.id)).size).toBe(1);
      expect(await orm.em.fork().count(UserSchema, { cognitoSub: sub })).toBe(1);
    }
  });

  it('marks members of the superadmin group', async () => {
    const admin = demoUser('superadmin');
    const tokens = await signIn(admin.email, admin.password);
    const res = await trpcQuery(t.app, 'auth.me', bearer(tokens.accessToken));
    expect(res.body.result?.data).toMatchObject({ email: admin.email, isSuperadmin: true, groups: ['superadmin'] });
  });

  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const res = await trpcQuery(t.app, 'auth.me');
    expect(res.status).toBe(401);
    expect(res.body.error?.data).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
  });

  it('answers 401 TOKEN_INVALID for a malformed Authorization header', async () => {
    for (const authorization of ['Basic dXNlcjpwdw==', 'Bearer', 'Bearer not-a-jwt', 'token abc.def.ghi']) {
      const res = await trpcQuery(t.app, 'auth.me', { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.body.error?.data.appCode, authorization).toBe('TOKEN_INVALID');
    }
  });

  describe('refuses tokens that carry a valid emulator signature but wrong claims', () => {
    let genuine: Record<string, unknown>;
    beforeAll(async () => {
      const user = await createUser();
      genuine = claimsOf(user.tokens.accessToken);
    });

    it('an expired token: 401 TOKEN_EXPIRED', async () => {
      const token = await forgeEmulatorToken({ ...genuine, iat: now() - 7200, exp: now() - 60 });
      const res = await trpcQuery(t.app, 'auth.me', bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.error?.data.appCode).toBe('TOKEN_EXPIRED');
    });

    it.each([
      ['another app client', { client_id: 'not-one-of-ours' }],
      ['an ID token', { token_use: 'id' }],
      ['a foreign issuer', { iss: 'http://127.0.0.1:1/other_pool' }],
      ['a token not valid yet', { nbf: now() + 3600 }],
    ])('%s: 401 TOKEN_INVALID', async (_name, change) => {
      const token = await forgeEmulatorToken({ ...genuine, ...change });
      const res = await trpcQuery(t.app, 'auth.me', bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.error?.data.appCode).toBe('TOKEN_INVALID');
    });

    it('a genuine ID token in place of the access token: 401', async () => {
      const user = await createUser();
      const res = await trpcQuery(t.app, 'auth.me', bearer(user.tokens.idToken));
      expect(res.status).toBe(401);
      expect(res.body.error?.data.appCode).toBe('TOKEN_INVALID');
    });
  });
});

describe('batching', () => {
  it('runs a batch of procedures in one request, and refuses one larger than TRPC_MAX_BATCH_SIZE', async () => {
    const user = await createUser();
    const limit = t.app.services.env.TRPC_MAX_BATCH_SIZE;
    const batch = (n: number) => `/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1`;
    const ok = await t.app.inject({ method: 'GET', url: batch(limit), headers: bearer(user.tokens.accessToken) });
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(200);
    expect(ok.json<unknown[]>()).toHaveLength(limit);
    const tooMany = await t.app.inject({
      method: 'GET',
      url: batch(limit + 1),
      headers: bearer(user.tokens.accessToken),
    });
    expect(tooMany.statusCode).toBe(400);
  });
});

describe('request logs', () => {
  it('carry the request id on every line and never the token', async () => {
    const user = await createUser();
    const res = await t.app.inject({
      method: 'GET',
      url: '/trpc/auth.me',
      headers: { ...bearer(user.tokens.accessToken), 'x-request-id': 'trace-abc-123' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    const lines = t.logs.filter((l) => l.reqId === 'trace-abc-123');
    expect(lines.length).toBeGreaterThanOrEqual(2); // incoming request + completed
    expect(t.rawLogs()).not.toContain(user.tokens.accessToken);
    expect(t.rawLogs()).not.toContain(user.tokens.accessToken.split('.')[2]);

    const generated = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
