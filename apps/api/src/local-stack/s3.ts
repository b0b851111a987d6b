import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';

import { LocalStackError, reason } from './errors.js';
import { LOOPBACK } from './ports.js';
import type { PartClaim } from './processes.js';

export const LOCAL_BUCKET = 'tenantry-local';
/** s3rver's documented default credentials (it does not check signatures anyway). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The browser uploads with presigned PUT/POST and reads the ETag of what it uploaded. */
const CORS_CONFIG = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** The part of s3rver 3.7.1's API used here (it ships no types). */
interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string; configs: string[] }>;
}) => S3rverInstance;

type CipherFactory = (algorithm: string, key: unknown, iv: unknown, options?: unknown) => unknown;
let desShimInstalled = false;

/**
 * s3rver encrypts ListObjects continuation tokens with single DES, which OpenSSL 3 (Node ≥ 17) only
 * has in its legacy provider: pagination would fail. Triple DES (EDE3-CBC) with the key repeated
 * three times is the same cipher, bit for bit, and is in the default provider; only calls for 'des'
 * (which would otherwise throw) are redirected.
 */
function installDesShim(): void {
  if (desShimInstalled) return;
  desShimInstalled = true;
  const cryptoModule = createRequire(import.meta.url)('node:crypto') as Record<
    'createCipheriv' | 'createDecipheriv',
    CipherFactory
  >;
  try {
    cryptoModule.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return; // the legacy provider is loaded: nothing to redirect
  } catch {
    // Redirect below.
  }
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    const original = cryptoModule[name];
    cryptoModule[name] = (algorithm, key, iv, options) =>
      algorithm.toLowerCase() === 'des' && Buffer.isBuffer(key) && key.length === 8
        ? original('des-ede3-cbc', Buffer.concat([key, key, key]), iv)
        : original(algorithm, key, iv, options);
  }
}

export interface S3Options {
  /** `<dataDir>/s3`: buckets and objects as files. */
  dir: string;
  port: number;
  claim: PartClaim;
}

export interface RunningS3 {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startS3(options: S3Options): Promise<RunningS3> {
  const { dir, port } = options;
  await mkdir(dir, { recursive: true });
  installDesShim();
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: LOOPBACK,
    port,
    silent: true,
    directory: dir,
    // Creates the bucket when missing and (re)applies its CORS rule on every start.
    configureBuckets: [{ name: LOCAL_BUCKET, configs: [CORS_CONFIG] }],
  });
  try {
    await server.run();
  } catch (error) {
    throw new LocalStackError('s3', `could not listen on ${LOOPBACK}:${port}: ${reason(error)}`);
  }
  const endpoint = `http://${LOOPBACK}:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    env: {
      S3_BUCKET: LOCAL_BUCKET,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    },
    stop: () => {
      stopped ??= (async () => {
        const closing = server.close().catch(() => undefined);
        server.httpServer?.closeAllConnections(); // idle keep-alive sockets would hold close() open
        await closing;
        await options.claim.release();
      })();
      return stopped;
    },
  };
}
