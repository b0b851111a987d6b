/**
 * Brute-force limits of auth.signIn, auth.forgotPassword and the code confirmations: per account and
 * per client IP, in memory or shared through Redis (REDIS_URL, else a Redis on 127.0.0.1:6379).
 */
import { randomInt } from 'node:crypto';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LOCAL_CONFIRMATION_CODE } from '../src/local-stack/index.js';
import { buildTestApp, trpcMutation, type TestApp } from './helpers/app.js';
import { createUser, uniqueEmail } from './helpers/stack-env.js';

/** A fresh client address per test: limits of one test never leak into another (or a previous run's Redis). */
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const WRONG = 'Wrong-Passw0rd';

function expectRefused(res: {
  status: number;
  headers: Record<string, unknown>;
  body: { error?: { data: { appCode: string } } };
}) {
  expect(res.status).toBe(429);
  expect(res.body.error?.data.appCode).toBe('RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  return retryAfter;
}

describe('in memory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      AUTH_SIGNIN_LIMIT_ACCOUNT: '3',
      AUTH_SIGNIN_LIMIT_IP: '5',
      AUTH_FORGOT_LIMIT_ACCOUNT: '2',
      AUTH_CONFIRM_LIMIT_ACCOUNT: '2',
      AUTH_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(() => t.close());

  it('refuses the 4th failed sign-in of an account with Retry-After, even with the right password', async () => {
    const user = await createUser();
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      const res = await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: WRONG }, { ip });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const retryAfter = expectRefused(
      await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password }, { ip }),
    );
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The account, not only the address: another IP is refused too.
    expectRefused(
      await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password }, { ip: freshIp() }),
    );
  });

  it('an attacker on one account does not lock another', async () => {
    const [victim, bystander] = await Promise.all([createUser(), createUser()]);
    const ip = freshIp();
    for (let i = 0; i < 4; i++)
      await trpcMutation(t.app, 'auth.signIn', { email: victim.email, password: WRONG }, { ip });
    const other = await trpcMutation(
      t.app,
      'auth.signIn',
      { email: bystander.email, password: bystander.password },
      { ip: freshIp() },
    );
    expect(other.status).toBe(200);
  });

  it('successful sign-ins do not use up the allowance; parallel guesses cannot slip through', async () => {
    const user = await createUser();
    const ip = freshIp();
    for (let i = 0; i < 6; i++) {
      expect(
        (await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password }, { ip })).status,
      ).toBe(200);
    }
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        trpcMutation(t.app, 'auth.signIn', { email: user.email, password: WRONG }, { ip: freshIp() }),
      ),
    );
    expect(burst.filter((r) => r.status === 401)).toHaveLength(3);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(5);
  });

  it('limits one IP across accounts', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      expect(
        (await trpcMutation(t.app, 'auth.signIn', { email: uniqueEmail('spray'), password: WRONG }, { ip })).status,
      ).toBe(401);
    }
    expectRefused(await trpcMutation(t.app, 'auth.signIn', { email: uniqueEmail('spray'), password: WRONG }, { ip }));
    // Another address is not affected.
    expect(
      (await trpcMutation(t.app, 'auth.signIn', { email: uniqueEmail('spray'), password: WRONG }, { ip: freshIp() }))
        .status,
    ).toBe(401);
  });

  it('does not let a client pick its address with X-Forwarded-For (TRUST_PROXY is off by default)', async () => {
    const ip = freshIp();
    const spoofing = () => ({ ip, headers: { 'x-forwarded-for': freshIp() } });
    for (let i = 0; i < 5; i++) {
      const res = await trpcMutation(t.app, 'auth.signIn', { email: uniqueEmail('xff'), password: WRONG }, spoofing());
      expect(res.status).toBe(401);
    }
    expectRefused(await trpcMutation(t.app, 'auth.signIn', { email: uniqueEmail('xff'), password: WRONG }, spoofing()));
  });

  it('believes X-Forwarded-For from a proxy that TRUST_PROXY names', async () => {
    const proxy = freshIp();
    const behind = await buildTestApp({ AUTH_SIGNIN_LIMIT_IP: '2', TRUST_PROXY: proxy });
    try {
      const client = freshIp();
      const via = (from: string) => ({ ip: proxy, headers: { 'x-forwarded-for': from } });
      for (let i = 0; i < 2; i++) {
        await trpcMutation(behind.app, 'auth.signIn', { email: uniqueEmail('lb'), password: WRONG }, via(client));
      }
      expectRefused(
        await trpcMutation(behind.app, 'auth.signIn', { email: uniqueEmail('lb'), password: WRONG }, via(client)),
      );
      // Other clients behind the same proxy keep their own allowance.
      const other = await trpcMutation(
        behind.app,
        'auth.signIn',
        { email: uniqueEmail('lb'), password: WRONG },
        via(freshIp()),
      );
      expect(other.status).toBe(401);
    } finally {
      await behind.close();
    }
  });

  it('limits forgotPassword per account, answering unknown e-mails alike', async () => {
    for (const email of [(await createUser()).email, uniqueEmail('nobody')]) {
      const ip = freshIp();
      for (let i = 0; i < 2; i++)
        expect((await trpcMutation(t.app, 'auth.forgotPassword', { email }, { ip })).status).toBe(200);
      expectRefused(await trpcMutation(t.app, 'auth.forgotPassword', { email }, { ip }));
    }
  });

  it('limits code guesses on confirmSignUp and confirmForgotPassword', async () => {
    const email = uniqueEmail('guess');
    await trpcMutation(t.app, 'auth.signUp', { email, password: 'Corr3ct-Horse', name: 'G' });
    for (let i = 0; i < 2; i++) {
      expect(
        (await trpcMutation(t.app, 'auth.confirmSignUp', { email, code: '000000' })).body.error?.data.appCode,
      ).toBe('CODE_INVALID');
    }
    expectRefused(await trpcMutation(t.app, 'auth.confirmSignUp', { email, code: LOCAL_CONFIRMATION_CODE }));

    const user = await createUser();
    const input = { email: user.email, newPassword: 'N3w-Password' };
    for (let i = 0; i < 2; i++) await trpcMutation(t.app, 'auth.confirmForgotPassword', { ...input, code: '000000' });
    expectRefused(await trpcMutation(t.app, 'auth.confirmForgotPassword', { ...input, code: LOCAL_CONFIRMATION_CODE }));
  });

  it('resets when the window ends', async () => {
    const short = await buildTestApp({ AUTH_SIGNIN_LIMIT_ACCOUNT: '1', AUTH_LIMIT_WINDOW_SECONDS: '1' });
    try {
      const user = await createUser();
      await trpcMutation(short.app, 'auth.signIn', { email: user.email, password: WRONG });
      expectRefused(await trpcMutation(short.app, 'auth.signIn', { email: user.email, password: user.password }));
      await sleep(1_100);
      expect(
        (await trpcMutation(short.app, 'auth.signIn', { email: user.email, password: user.password })).status,
      ).toBe(200);
    } finally {
      await short.close();
    }
  });
});

/** REDIS_URL when set, else a Redis on 127.0.0.1:6379 if one answers. */
async function findRedis(): Promise<string | undefined> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const open = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => resolve(true));
    socket.once('timeout', () => resolve(false));
    socket.once('error', () => resolve(false));
    socket.connect(6379, '127.0.0.1');
  }).finally(() => undefined);
  return open ? 'redis://127.0.0.1:6379' : undefined;
}
const redisUrl = await findRedis();

describe('shared through Redis', () => {
  it.skipIf(!redisUrl)(
    `two API instances count together (${redisUrl ? 'Redis found' : 'SKIPPED: no REDIS_URL and nothing on 127.0.0.1:6379'})`,
    async () => {
      const overrides = { REDIS_URL: redisUrl, AUTH_SIGNIN_LIMIT_ACCOUNT: '3', AUTH_LIMIT_WINDOW_SECONDS: '30' };
      const [a, b] = await Promise.all([buildTestApp(overrides), buildTestApp(overrides)]);
      try {
        const user = await createUser();
        await trpcMutation(a.app, 'auth.signIn', { email: user.email, password: WRONG }, { ip: freshIp() });
        await trpcMutation(b.app, 'auth.signIn', { email: user.email, password: WRONG }, { ip: freshIp() });
        await trpcMutation(a.app, 'auth.signIn', { email: user.email, password: WRONG }, { ip: freshIp() });
        expectRefused(
          await trpcMutation(b.app, 'auth.signIn', { email: user.email, password: user.password }, { ip: freshIp() }),
        );
        const other = await createUser();
        expect(
          (await trpcMutation(b.app, 'auth.signIn', { email: other.email, password: other.password })).status,
        ).toBe(200);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
  );

  it('a Redis outage does not take sign-in down: it is logged and limits fall back to memory', async () => {
    // Nothing listens on port 1: the limiter's Redis is "down" from the start.
    const t = await buildTestApp({ REDIS_URL: 'redis://127.0.0.1:1', AUTH_SIGNIN_LIMIT_ACCOUNT: '2' });
    try {
      const user = await createUser();
      expect((await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password })).status).toBe(
        200,
      );
      await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: WRONG });
      await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: WRONG });
      expectRefused(await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password }));
      await expect.poll(() => t.rawLogs()).toContain('Redis unreachable: auth rate limits fall back to memory');
    } finally {
      await t.close();
    }
  });
});
