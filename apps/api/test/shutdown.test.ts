import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { failedStart, startApi } from './helpers/api-process.js';

describe('the API process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('closes gracefully on %s', async (signal) => {
    const api = await startApi();
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    api.child.kill(signal);
    const [code] = (await once(api.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(api.output()).toContain('shutting down');
  });

  it('refuses to start on a bad configuration, naming the variable', async () => {
    const { code, stderr } = await failedStart({ PORT: 'eighty', S3_BUCKET: '' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('S3_BUCKET is required');
  });

  it('refuses to start in production with the emulator as issuer', async () => {
    const { code, stderr } = await failedStart({ NODE_ENV: 'production', PORT: '0' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/COGNITO_ENDPOINT a Cognito emulator cannot be used with NODE_ENV=production/);
  });
});
