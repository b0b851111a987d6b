import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stackEnv } from './helpers/stack-env.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));

/** The real entry point (src/main.ts) as its own process. */
function spawnApi(env: Record<string, string | undefined>) {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@tenantry/source', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, ...stackEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the entry point until it exits; returns its exit code and standard error. */
async function failedStart(env: Record<string, string | undefined>) {
  const child = spawnApi(env);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** Starts the entry point and waits for it to listen. */
async function startApi() {
  const child = spawnApi({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info' });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code}:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

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
