import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';

import { stackEnv } from '../helpers/stack-env.js';

describe('the radosgw suite', () => {
  it('runs against radosgw, which refuses a request signed with the wrong secret', async () => {
    const env = stackEnv();
    const wrong = new S3Client({
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: true,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: env.S3_BUCKET }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
  });
});
