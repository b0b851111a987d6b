/**
 * Brute-force protection of the auth procedures (sign-in, forgot-password, code confirmation): a fixed
 * window of attempts per client IP and per account, with rate-limiter-flexible. In memory by default;
 * in Redis when REDIS_URL is set, so every API instance counts together. A Redis outage does not take
 * auth down: each limiter falls back to an in-memory one (rate-limiter-flexible's insuranceLimiter),
 * counting per instance until Redis is back, and the outage is logged once.
 */
import { createHash } from 'node:crypto';

import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import type { Env } from '../env.js';
import { AppError } from '../errors.js';
import { closeLimiterRedis, limiterRedis } from './rate-limits.js';

export type GuardedAction = 'signIn' | 'forgotPassword' | 'confirm';

export interface AttemptKeys {
  /** The client's address as Fastify sees it. */
  ip: string;
  /** The e-mail the attempt targets (lower-cased by the shared Email model). */
  account: string;
}

export interface BruteForceGuard {
  /**
   * Counts one attempt against the IP and the account, atomically (parallel attempts cannot slip
   * through between a check and a count); over either limit it throws TOO_MANY_REQUESTS / RATE_LIMITED
   * with `retryAfterSeconds`.
   */
  attempt(action: GuardedAction, keys: AttemptKeys): Promise<void>;
  /** A success gives the attempt back: only failures use up the allowance. */
  succeeded(action: GuardedAction, keys: AttemptKeys): Promise<void>;
  close(): Promise<void>;
}

export interface GuardLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

type Limits = Record<GuardedAction, { account: number; ip: number }>;

export function limitsFrom(env: Env): Limits {
  return {
    signIn: { account: env.AUTH_SIGNIN_LIMIT_ACCOUNT, ip: env.AUTH_SIGNIN_LIMIT_IP },
    forgotPassword: { account: env.AUTH_FORGOT_LIMIT_ACCOUNT, ip: env.AUTH_FORGOT_LIMIT_IP },
    confirm: { account: env.AUTH_CONFIRM_LIMIT_ACCOUNT, ip: env.AUTH_CONFIRM_LIMIT_IP },
  };
}

/** Accounts are stored hashed: no e-mail addresses in Redis keys. */
const accountKey = (email: string) => createHash('sha256').update(email).digest('base64url').slice(0, 32);

export function createBruteForceGuard(env: Env, log: GuardLogger): BruteForceGuard {
  const limits = limitsFrom(env);
  const duration = env.AUTH_LIMIT_WINDOW_SECONDS;
  const redis = env.REDIS_URL ? limiterRedis(env.REDIS_URL, log, 'auth rate limits') : undefined;

  const make = (action: GuardedAction, scope: 'ip' | 'account'): RateLimiterAbstract => {
    const points = limits[action][scope];
    const memory = new RateLimiterMemory({ keyPrefix: `auth:${action}:${scope}`, points, duration });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `tenantry:auth:${action}:${scope}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const limiters = Object.fromEntries(
    (['signIn', 'forgotPassword', 'confirm'] as const).map((action) => [
      action,
      { ip: make(action, 'ip'), account: make(action, 'account') },
    ]),
  ) as Record<GuardedAction, { ip: RateLimiterAbstract; account: RateLimiterAbstract }>;

  return {
    async attempt(action, keys) {
      const { ip, account } = limiters[action];
      const results = await Promise.allSettled([ip.consume(keys.ip), account.consume(accountKey(keys.account))]);
      const refused = results
        .map((r) => (r.status === 'rejected' ? (r.reason as unknown) : undefined))
        .filter((r) => r !== undefined);
      if (refused.length === 0) return;
      const waits = refused.filter((r): r is RateLimiterRes => r instanceof RateLimiterRes);
      // Anything else is a store error without a fallback: never reached with the insurance limiter.
      const failure = refused.find((r) => !(r instanceof RateLimiterRes));
      if (failure !== undefined)
        throw failure instanceof Error ? failure : new Error('rate limiter store failed', { cause: failure });
      const ms = Math.max(...waits.map((w) => w.msBeforeNext));
      throw new AppError({
        code: 'TOO_MANY_REQUESTS',
        appCode: 'RATE_LIMITED',
        message: 'Too many attempts. Try again later.',
        retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
      });
    },
    async succeeded(action, keys) {
      const { ip, account } = limiters[action];
      await Promise.all([ip.reward(keys.ip), account.delete(accountKey(keys.account))]);
    },
    async close() {
      closeLimiterRedis(redis);
    },
  };
}
