import type { S3Client } from '@aws-sdk/client-s3';
import type { Orm } from '../db/orm.js';
import type { Env } from '../env.js';
import type { CognitoDirectory } from './cognito.js';
import type { AccessTokenVerifier } from './token-verifier.js';

/** The long-lived parts a request can use; built once in `buildApp`. */
export interface AppServices {
  env: Env;
  orm: Orm;
  verifier: AccessTokenVerifier;
  cognito: CognitoDirectory;
  s3: S3Client;
}
