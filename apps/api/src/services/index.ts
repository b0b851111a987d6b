import type { S3Client } from '@aws-sdk/client-s3';
import type { Orm } from '../db/orm.js';
import type { Env } from '../env.js';
import type { AuthService } from './auth.js';
import type { BruteForceGuard } from './brute-force.js';
import type { CognitoDirectory } from './cognito.js';
import type { CognitoAuth } from './cognito-auth.js';
import type { AccessTokenVerifier } from './token-verifier.js';
import type { TenantEvents } from './tenant-events.js';
import type { Mailer } from './mailer.js';
import type { Keyring } from './keyring.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limits.js';
import type { UsageRecorder } from './usage.js';

/** The long-lived parts a request can use; built once in `buildApp`. */
export interface AppServices {
  env: Env;
  orm: Orm;
  verifier: AccessTokenVerifier;
  cognito: CognitoDirectory;
  s3: S3Client;
  /** The confidential app client; absent when COGNITO_SERVER_CLIENT_ID/SECRET are not configured. */
  cognitoAuth: CognitoAuth | undefined;
  bruteForce: BruteForceGuard;
  auth: AuthService;
  tenantEvents: TenantEvents;
  mailer: Mailer;
  /** Encrypts and decrypts tenant secrets (MASTER_KEY, MASTER_KEYS_PREVIOUS). */
  keyring: Keyring;
  /** Prometheus series of this app (its own registry). */
  metrics: Metrics;
  /** Whether tenant procedures are counted (limits and usage); off only in benchmarks' comparison. */
  metering: boolean;
  /** Per-tenant, per-user and per-IP request limits (procedures, not HTTP requests). */
  rateLimiter: RateLimiter;
  /** Per-tenant daily usage, counted in memory and flushed in batches. */
  usage: UsageRecorder;
}
