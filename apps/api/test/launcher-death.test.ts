import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a launcher killed without warning', () => {
  let dataDir = '';
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('leaves no PostgreSQL running (SIGKILL, as test runners end their web servers)', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantry-launcher-'));
    const launcher = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@tenantry/source', 'test/fixtures/postgres-launcher.ts', dataDir],
      { cwd: apiDir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      launcher.stdout.on('data', (d: Buffer) => d.toString().includes('"url"') && resolve());
      launcher.once('exit', (code) => reject(new Error(`launcher exited with ${code}`)));
    });
    const postmasterPid = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(alive(postmasterPid)).toBe(true);

    launcher.kill('SIGKILL');
    await expect.poll(() => alive(postmasterPid), { timeout: 15_000, interval: 200 }).toBe(false);
  });
});
