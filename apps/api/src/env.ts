import { z } from 'zod';
import { decodeMasterKey } from './services/keyring.js';

/** `true`/`false`/`1`/`0` from the environment; `z.coerce.boolean` would read "false" as true. */
const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .default([]);

const attempts = (fallback: number) => z.coerce.number().int().min(1).max(100_000).default(fallback);

/** A master key (keyring's rule: 32 bytes as base64 or 64 hex digits), as a Zod issue when it is not one. */
function masterKeyOf(value: string, ctx: z.RefinementCtx): Buffer {
  try {
    return decodeMasterKey(value);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: err instanceof Error ? err.message.replace(/^a master key /, '') : String(err),
    });
    return z.NEVER;
  }
}
const masterKey = z.string().transform((s, ctx) => masterKeyOf(s, ctx));

const DURATION_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A duration as milliseconds: `0`, or a whole number of seconds, minutes, hours or days (`90s`, `15m`, `1h`, `7d`). */
const duration = z
  .string()
  .trim()
  .regex(/^(0|\d+[smhd])$/, 'must be 0 or a duration such as 90s, 15m, 1h or 7d')
  .transform((s) => (s === '0' ? 0 : Number(s.slice(0, -1)) * DURATION_UNITS_MS[s.slice(-1) as 's' | 'm' | 'h' | 'd']));

const EnvObject = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` needs pino-pretty (a development dependency); unset means pretty in development only. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),

  DATABASE_URL: z
    .url({ message: 'must be a postgres:// URL' })
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),

  COGNITO_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$|^local$/, 'must be an AWS region such as eu-west-1'),
  COGNITO_USER_POOL_ID: z.string().min(1),
  COGNITO_SPA_CLIENT_ID: z.string().min(1),
  COGNITO_SERVER_CLIENT_ID: z.string().min(1).optional(),
  COGNITO_SERVER_CLIENT_SECRET: z.string().min(1).optional(),
  COGNITO_EXTRA_CLIENT_IDS: commaList,
  COGNITO_ENDPOINT: z.url().optional(),

  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: flag.optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Seconds a presigned upload (`files.createUpload`) stays valid; a pending upload is removed after it. */
  S3_UPLOAD_EXPIRES: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3600),
  /** Content types tenants may upload: exact types or `family/*`, comma-separated (DEFAULT_FILE_TYPES when unset). */
  FILE_TYPES: commaList.pipe(
    z.array(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/,
          'must be MIME types such as image/png or image/*',
        ),
    ),
  ),
  /** The largest file one upload may carry, in bytes (100 MiB by default). */
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(100 * 1024 ** 2),

  /** Shared store for rate limits (several API instances count together); memory when unset. */
  REDIS_URL: z
    .url({ message: 'must be a redis:// or rediss:// URL' })
    .refine((u) => /^rediss?:\/\//.test(u), 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Brute-force limits of the auth procedures: attempts per account and per client IP in one window. */
  AUTH_SIGNIN_LIMIT_ACCOUNT: attempts(5),
  AUTH_SIGNIN_LIMIT_IP: attempts(20),
  AUTH_FORGOT_LIMIT_ACCOUNT: attempts(5),
  AUTH_FORGOT_LIMIT_IP: attempts(20),
  AUTH_CONFIRM_LIMIT_ACCOUNT: attempts(5),
  AUTH_CONFIRM_LIMIT_IP: attempts(20),
  AUTH_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),

  /**
   * Which proxies may tell the client's address (X-Forwarded-For): `false` (default, the socket's
   * address), `true` (any: only behind a proxy that overwrites the header), a hop count, or addresses/CIDRs.
   * Per-IP limits rely on it: trusting a header clients can set lets them pick their address.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string => {
      if (v === 'true' || v === 'false') return v === 'true';
      if (/^\d+$/.test(v)) return Number(v);
      return v; // addresses/CIDRs, comma-separated, as Fastify takes them
    }),
  WEB_DIST_DIR: z.string().min(1).optional(),
  TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),

  /** Tenants are reached as `<slug>.<BASE_DOMAIN>` when set (e.g. `tenantry.example.com`). */
  BASE_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a host name')
    .optional(),
  /** An access-token claim naming the tenant (set by a pre-token-generation trigger); when present it must agree. */
  TENANT_CLAIM: z.string().min(1).default('custom:tenant_id'),
  /** Background jobs run in each API process with this many at once; 0 leaves them to `cli worker`. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(100).default(4),
  /** Provisioning attempts (with exponential backoff) before a tenant is left `failed`. */
  PROVISION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(25).default(5),
  /** Sender address of e-mails; set, it sends them through Amazon SES (else the development mailbox). */
  SES_FROM: z.email({ message: 'must be an e-mail address' }).optional(),
  SES_REGION: z.string().min(1).optional(),
  SES_ENDPOINT: z.url().optional(),
  /** Days an invitation stays valid. */
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** The SPA's public URL, for links in e-mails; the API's own address when unset. */
  APP_URL: z.url({ message: 'must be a URL such as https://app.example.com' }).optional(),
  /** How many of a user's tenants may be in provisioning at once. */
  TENANT_CREATE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(3),

  /**
   * 32 random bytes (base64 or 64 hex digits) from which each tenant's secret-encryption key is derived.
   * Required in production; the local stack generates one into its data folder in development.
   */
  MASTER_KEY: masterKey.optional(),
  /** Earlier master keys, still accepted for decryption while `cli rotate-master-key` re-encrypts. */
  MASTER_KEYS_PREVIOUS: z
    .string()
    .transform((s, ctx) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => masterKeyOf(x, ctx)),
    )
    .default([]),

  /** Per-tenant and per-caller rate limits; `false` turns them off (benchmarks compare both). */
  RATE_LIMITS: flag.default(true),
  /** Burst limits: procedure calls per second per tenant, per signed-in user outside a tenant, per IP when signed out. */
  RATE_LIMIT_TENANT_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(50),
  RATE_LIMIT_USER_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(20),
  RATE_LIMIT_IP_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Seconds between flushes of the in-memory usage counters to `usage_daily`. */
  USAGE_FLUSH_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),

  /** How long a deleted tenant can be restored before the purge removes its data (`0`: at once). */
  TENANT_DELETE_GRACE: duration.default(7 * DURATION_UNITS_MS.d),
  /** The most tenants one purge run removes. */
  TENANT_PURGE_MAX: z.coerce.number().int().min(1).max(10_000).default(10),

  /** Bearer token that `GET /metrics` requires on the API's port. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Serve `/metrics` on this separate (internal) port instead, without a token unless METRICS_TOKEN is set. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/** Every variable the API reads (the README documents each one). */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvObject.shape);

const EnvSchema = EnvObject.superRefine((env, ctx) => {
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({
      code: 'custom',
      path: ['S3_SECRET_ACCESS_KEY'],
      message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
    });
  }
  if (Boolean(env.COGNITO_SERVER_CLIENT_ID) !== Boolean(env.COGNITO_SERVER_CLIENT_SECRET)) {
    ctx.addIssue({
      code: 'custom',
      path: ['COGNITO_SERVER_CLIENT_SECRET'],
      message: 'COGNITO_SERVER_CLIENT_ID and COGNITO_SERVER_CLIENT_SECRET are set together or not at all',
    });
  }
  if (env.NODE_ENV === 'production' && !env.MASTER_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['MASTER_KEY'],
      message: 'is required in production: tenant secrets are encrypted under it (openssl rand -base64 32)',
    });
  }
  // The emulator signs with a private key published in its npm package: anyone can forge its tokens.
  if (env.NODE_ENV === 'production' && env.COGNITO_ENDPOINT) {
    ctx.addIssue({
      code: 'custom',
      path: ['COGNITO_ENDPOINT'],
      message: 'a Cognito emulator cannot be used with NODE_ENV=production (its signing key is public)',
    });
  }
});

const DatabaseEnvSchema = EnvObject.pick({
  DATABASE_URL: true,
  DATABASE_POOL_MAX: true,
  LOG_LEVEL: true,
  WORKER_CONCURRENCY: true,
});
export type DatabaseEnv = Readonly<z.output<typeof DatabaseEnvSchema>>;

const StorageEnvSchema = EnvObject.pick({
  S3_BUCKET: true,
  S3_REGION: true,
  S3_ENDPOINT: true,
  S3_FORCE_PATH_STYLE: true,
  S3_ACCESS_KEY_ID: true,
  S3_SECRET_ACCESS_KEY: true,
});
/** The S3 settings alone: what a worker without HTTP needs for jobs that touch tenant objects. */
export type StorageEnv = Readonly<z.output<typeof StorageEnvSchema>>;

export type EnvInput = z.input<typeof EnvSchema>;

export interface Env extends Readonly<z.output<typeof EnvSchema>> {
  /** The token issuer every access token must carry. */
  readonly cognitoIssuer: string;
  readonly cognitoJwksUri: string;
  /** App clients whose access tokens the API accepts. */
  readonly cognitoClientIds: readonly string[];
}

export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment once; every problem is reported with the variable's name and the reason. */
function parseWith<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const reason = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
        return `${name} ${reason}`;
      }),
    );
  }
  return result.data;
}

/** Only the bucket and how to reach it (`cli worker`, for the jobs that remove tenant objects). */
export function parseStorageEnv(source: Record<string, string | undefined>): StorageEnv {
  return Object.freeze(parseWith(StorageEnvSchema, source));
}

/** Only what a database CLI (migrate) needs. */
export function parseDatabaseEnv(source: Record<string, string | undefined>): DatabaseEnv {
  return Object.freeze(parseWith(DatabaseEnvSchema, source));
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const env = parseWith(EnvSchema, source);
  const issuer = env.COGNITO_ENDPOINT
    ? `${env.COGNITO_ENDPOINT.replace(/\/+$/, '')}/${env.COGNITO_USER_POOL_ID}`
    : `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com/${env.COGNITO_USER_POOL_ID}`;
  const clientIds = [env.COGNITO_SPA_CLIENT_ID, env.COGNITO_SERVER_CLIENT_ID, ...env.COGNITO_EXTRA_CLIENT_IDS].filter(
    (id): id is string => Boolean(id),
  );
  return Object.freeze({
    ...env,
    cognitoIssuer: issuer,
    cognitoJwksUri: `${issuer}/.well-known/jwks.json`,
    cognitoClientIds: [...new Set(clientIds)],
  });
}
