/**
 * Request rate limits (DESIGN §3), counting procedures, not HTTP requests (a batch of 20 calls counts 20):
 * - per tenant, a burst limit per second and the plan's requests-per-day quota (per UTC day);
 * - per signed-in user, a burst limit for procedures outside a tenant;
 * - per client IP, a burst limit for procedures that need no sign-in.
 * rate-limiter-flexible keeps the counters in memory, or in Redis when REDIS_URL is set so every API
 * instance counts together. When Redis is away each limiter falls back to an in-memory one
 * (insuranceLimiter): requests keep being served, counted per instance, and the outage is logged once.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import type { Env } from '../env.js';
import { AppError } from '../errors.js';
import type { RateLimitScope } from './metrics.js';

/** What the `X-RateLimit-*` headers of a response say: the tightest limit the call was counted against. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the window resets (Unix seconds). */
  resetAt: number;
  /** For a refusal: how long until a call can pass. */
  retryAfterMs?: number;
}

export interface RateLimiter {
  readonly enabled: boolean;
  /** Counts one call of a tenant procedure; over a limit it throws TOO_MANY_REQUESTS with the state. */
  consumeTenant(tenantId: string, dailyQuota: number | null, now?: Date): Promise<RateLimitState>;
  consumeUser(userId: string): Promise<RateLimitState>;
  consumeIp(ip: string): Promise<RateLimitState>;
  /** Calls counted today against the tenant's daily quota (every instance, with Redis); 0 when it has none. */
  requestsToday(tenantId: string, now?: Date): Promise<number>;
  close(): Promise<void>;
}

export class RateLimitError extends AppError {
  constructor(
    readonly scope: RateLimitScope,
    readonly state: RateLimitState,
    message: string,
  ) {
    super({
      code: 'TOO_MANY_REQUESTS',
      appCode: scope === 'tenant_daily' ? 'QUOTA_EXCEEDED' : 'RATE_LIMITED',
      message,
      retryAfterSeconds: Math.max(1, Math.ceil((state.retryAfterMs ?? state.resetAt * 1000 - Date.now()) / 1000)),
      details: { scope, limit: state.limit, resetAt: new Date(state.resetAt * 1000).toISOString() },
    });
  }
}

export interface LimiterLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const DAY_SECONDS = 86_400;
/** The daily counter never refuses by itself: the quota differs per tenant and is compared here. */
const UNCOUNTED = Number.MAX_SAFE_INTEGER;

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function nextUtcMidnight(now: Date): number {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return Math.floor(d.getTime() / 1000);
}

/**
 * A Redis client for rate-limit counters: it fails fast instead of queueing while Redis is away (the
 * limiters' memory fallback answers meanwhile) and logs the outage once, and the recovery, naming `what`.
 */
export function limiterRedis(url: string, log: LimiterLogger, what: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message } }, `Redis unreachable: ${what} fall back to memory`);
  });
  redis.on('ready', () => {
    if (down) log.info({}, `Redis reachable again: ${what} are shared again`);
    down = false;
  });
  return redis;
}

/** Disconnects a limiter's Redis client without a last error log. */
export function closeLimiterRedis(redis: Redis | undefined): void {
  if (!redis) return;
  redis.removeAllListeners('error');
  redis.on('error', () => undefined);
  redis.disconnect();
}

export function createRateLimiter(env: Env, log: LimiterLogger): RateLimiter {
  const redis = env.REDIS_URL && env.RATE_LIMITS ? limiterRedis(env.REDIS_URL, log, 'request rate limits') : undefined;
  const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix: `rl:${name}`, points, duration });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `tenantry:rl:${name}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const tenantBurst = make('tenant', env.RATE_LIMIT_TENANT_PER_SECOND, 1);
  const userBurst = make('user', env.RATE_LIMIT_USER_PER_SECOND, 1);
  const ipBurst = make('ip', env.RATE_LIMIT_IP_PER_SECOND, 1);
  // Keys carry the UTC day; they expire a day after it ends.
  const daily = make('daily', UNCOUNTED, 2 * DAY_SECONDS);

  async function burst(
    limiter: RateLimiterAbstract,
    key: string,
    scope: RateLimitScope,
    what: string,
  ): Promise<RateLimitState> {
    try {
      const res = await limiter.consume(key);
      return {
        limit: limiter.points,
        remaining: res.remainingPoints,
        resetAt: Math.ceil((Date.now() + res.msBeforeNext) / 1000),
      };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const state = {
        limit: limiter.points,
        remaining: 0,
        resetAt: Math.ceil((Date.now() + err.msBeforeNext) / 1000),
        retryAfterMs: err.msBeforeNext,
      };
      throw new RateLimitError(scope, state, `Too many requests ${what}: at most ${limiter.points} per second.`);
    }
  }

  const unlimited = (): RateLimitState => ({ limit: 0, remaining: 0, resetAt: 0 });

  return {
    enabled: env.RATE_LIMITS,
    async consumeTenant(tenantId, dailyQuota, now = new Date()) {
      if (!env.RATE_LIMITS) return unlimited();
      const burstState = await burst(tenantBurst, tenantId, 'tenant_burst', 'for this organisation');
      if (dailyQuota === null) return burstState; // unlimited: usage analytics still counts the calls
      const res = await daily.consume(`${tenantId}:${utcDay(now)}`);
      const state = {
        limit: dailyQuota,
        remaining: Math.max(0, dailyQuota - res.consumedPoints),
        resetAt: nextUtcMidnight(now),
      };
      if (res.consumedPoints > dailyQuota) {
        throw new RateLimitError(
          'tenant_daily',
          state,
          `This organisation has used its ${dailyQuota.toLocaleString('en')} API requests for today; the quota renews at midnight UTC. A bigger plan has a bigger quota.`,
        );
      }
      return state;
    },
    async consumeUser(userId) {
      if (!env.RATE_LIMITS) return unlimited();
      return burst(userBurst, userId, 'user_burst', 'from this account');
    },
    async consumeIp(ip) {
      if (!env.RATE_LIMITS) return unlimited();
      return burst(ipBurst, ip, 'ip_burst', 'from this address');
    },
    async requestsToday(tenantId, now = new Date()) {
      if (!env.RATE_LIMITS) return 0;
      const res = await daily.get(`${tenantId}:${utcDay(now)}`);
      return res?.consumedPoints ?? 0;
    },
    async close() {
      closeLimiterRedis(redis);
    },
  };
}
