import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { EnvError, parseEnv } from '../src/env.js';
import { formatBanner } from '../src/local-stack/banner.js';
import { LocalStackError, startLocalStack } from '../src/local-stack/index.js';
import { decodeMasterKey } from '../src/services/keyring.js';
import { stackEnv } from './helpers/stack-env.js';

/** Every service configured: the stack starts no process, only the master key is its business. */
const CONFIGURED = { DATABASE_URL: 'postgres://x@127.0.0.1/x', COGNITO_REGION: 'eu-west-1', S3_BUCKET: 'bucket' };

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tenantry-master-key-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function start(dataDir: string, env: Record<string, string>) {
  const lines: string[] = [];
  const stack = await startLocalStack({ dataDir, env, log: (line) => lines.push(line) });
  await stack.stop();
  return { stack, lines };
}

describe('the development master key', () => {
  it('is generated into <dataDir>/master-key (0600) with a warning, and reused on later starts', async () => {
    const dataDir = await tempDir();
    const file = join(dataDir, 'master-key');
    const first = await start(dataDir, CONFIGURED);
    const key = first.stack.env.MASTER_KEY ?? '';
    expect(decodeMasterKey(key)).toHaveLength(32);
    expect(first.stack.masterKeyFile).toBe(file);
    expect((await readFile(file, 'utf8')).trim()).toBe(key);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.lines).toContain(
      `[master-key] development master key generated into ${file}; set MASTER_KEY in production`,
    );

    const second = await start(dataDir, CONFIGURED);
    expect(second.stack.env.MASTER_KEY).toBe(key);
    expect(second.lines.join('\n')).toContain(`development master key read from ${file}`);

    const banner = formatBanner({
      apiUrl: 'http://127.0.0.1:3000',
      stackEnv: second.stack.env,
      started: [],
      demoUsers: [],
      masterKeyFile: second.stack.masterKeyFile,
      startupMs: 1000,
    });
    expect(banner).toContain(`development master key in ${file}`);
    expect(banner).toContain('Set MASTER_KEY in production');
  });

  it('is not made when MASTER_KEY is set, nor in production', async () => {
    for (const env of [
      { ...CONFIGURED, MASTER_KEY: 'set by the operator' },
      { ...CONFIGURED, NODE_ENV: 'production' },
    ]) {
      const dataDir = await tempDir();
      const { stack } = await start(dataDir, env);
      expect(stack.env).toEqual({});
      expect(stack.masterKeyFile).toBeUndefined();
      await expect(stat(join(dataDir, 'master-key'))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('refuses a file that holds no key, rather than replacing it', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'master-key'), 'not a key\n');
    const error = await startLocalStack({ dataDir, env: CONFIGURED }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalStackError);
    expect((error as LocalStackError).message).toMatch(/^master-key: .*master-key does not hold a master key/);
    expect(await readFile(join(dataDir, 'master-key'), 'utf8')).toBe('not a key\n');
  });
});

describe('the API without MASTER_KEY', () => {
  it('refuses to start outside production too, naming MASTER_KEY', async () => {
    for (const NODE_ENV of ['development', 'test']) {
      const env = parseEnv({ ...stackEnv(), NODE_ENV, MASTER_KEY: undefined, LOG_LEVEL: 'silent' });
      const error = await buildApp(env, { migrate: false, worker: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems).toEqual([expect.stringMatching(/^MASTER_KEY is required/)]);
    }
    expect(() => parseEnv({ ...stackEnv(), NODE_ENV: 'production', MASTER_KEY: undefined })).toThrow(/MASTER_KEY/);
  });
});
