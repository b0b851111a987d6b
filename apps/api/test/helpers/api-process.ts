import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { stackEnv } from './stack-env.js';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));

/** The real entry point (src/main.ts) as its own process, on the test run's services plus `env`. */
export function spawnApi(env: Record<string, string | undefined>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@tenantry/source', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, ...stackEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs the entry point until it exits; returns its exit code and standard error. */
export async function failedStart(env: Record<string, string | undefined>) {
  const child = spawnApi(env);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** Starts the entry point (on a free port unless `env` names one) and waits until it listens. */
export async function startApi(env: Record<string, string | undefined> = {}) {
  const child = spawnApi({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 30_000);
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
