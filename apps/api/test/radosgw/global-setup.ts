/**
 * The radosgw suite's setup: the same local stack as the api project (PostgreSQL, Cognito emulator),
 * with S3 served by a real radosgw instead of s3rver. The stack starts a stand-in only for absent
 * configuration, so setting the S3_* variables before delegating replaces s3rver by radosgw; the test
 * files then get them through stackEnv() like any configured service.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import type { TestProject } from 'vitest/node';

import stackSetup from '../global-setup.js';
import { startRadosgw } from './radosgw.js';

/** The bucket the radosgw suite's API uses. */
export const RADOSGW_BUCKET = 'tenantry-test';

const ENSURE_SCRIPT = fileURLToPath(new URL('../../../../tests/scripts/ensure-radosgw.sh', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Known and documented (the SDK's later releases need Node 22), as in the api project's setup.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Installs Debian's Ceph packages when missing (once per machine); silent when they are there.
  const ensured = spawnSync('bash', [ENSURE_SCRIPT], { stdio: 'inherit' });
  if (ensured.status !== 0) throw new Error(`tests/scripts/ensure-radosgw.sh failed (exit ${ensured.status})`);

  const began = performance.now();
  // Removed by rgw.stop(), or by its watchdog if this process is killed.
  const rgw = await startRadosgw({ dir: await mkdtemp(join(tmpdir(), 'tenantry-radosgw-')) });
  let teardown: (() => Promise<void>) | undefined;
  try {
    const s3 = new S3Client({
      region: rgw.region,
      endpoint: rgw.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await s3.send(new CreateBucketCommand({ Bucket: RADOSGW_BUCKET }));
    // The same rule as the local s3rver's: browsers upload with presigned POST/PUT and read the ETag.
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: RADOSGW_BUCKET,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: ['*'],
              AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      }),
    );
    s3.destroy();
    console.log(`[radosgw] ${rgw.endpoint} ready in ${((performance.now() - began) / 1000).toFixed(1)} s`);

    const s3Env: Record<string, string> = {
      S3_BUCKET: RADOSGW_BUCKET,
      S3_REGION: rgw.region,
      S3_ENDPOINT: rgw.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: rgw.accessKeyId,
      S3_SECRET_ACCESS_KEY: rgw.secretAccessKey,
    };
    // Only for the delegated setup's reading of the environment: restored at once, so nothing else in
    // this process (another project's setup) mistakes radosgw for configured S3.
    const previous = Object.fromEntries(Object.keys(s3Env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, s3Env);
    try {
      teardown = await stackSetup(project);
    } finally {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  } catch (error) {
    await rgw.stop();
    throw error;
  }
  return async () => {
    try {
      await teardown?.();
    } finally {
      await rgw.stop();
    }
  };
}
