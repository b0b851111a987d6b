import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { buildTestApp, bearer, trpcQuery } from './helpers/app.js';
import { createUser, demoUser, localOnly, signIn, stackEnv } from './helpers/stack-env.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** `pnpm --filter @tenantry/api cli …`, as its script runs it (tsx with the source condition). */
async function cli(args: string[], env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^COGNITO_|^TENANTRY_DATA_DIR$/.test(k)),
  );
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@tenantry/source', 'src/cli/index.ts', ...args],
      { cwd: apiDir, env: { ...clean, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const emulatorEnv = () => ({
  COGNITO_USER_POOL_ID: stackEnv().COGNITO_USER_POOL_ID,
  COGNITO_REGION: 'local',
  COGNITO_ENDPOINT: localOnly('COGNITO_ENDPOINT'),
});

describe('cli superadmin', () => {
  it('adds, lists and removes a superadmin; the group reaches the next token', async () => {
    const user = await createUser();
    const added = await cli(['superadmin', 'add', user.email], emulatorEnv());
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`${user.email} is a superadmin`);

    const listed = await cli(['superadmin', 'list'], emulatorEnv());
    expect(listed.stdout.split('\n')).toEqual(expect.arrayContaining([user.email, demoUser('superadmin').email]));

    const t = await buildTestApp();
    try {
      const tokens = await signIn(user.email, user.password);
      const me = await trpcQuery(t.app, 'auth.me', bearer(tokens.accessToken));
      expect(me.body.result?.data).toMatchObject({ isSuperadmin: true });
    } finally {
      await t.close();
    }

    const removed = await cli(['superadmin', 'remove', user.email], emulatorEnv());
    expect(removed.code, removed.stderr).toBe(0);
    expect((await cli(['superadmin', 'list'], emulatorEnv())).stdout).not.toContain(user.email);
  });

  it('names an unknown user, and the variables it needs when nothing is configured', async () => {
    const unknown = await cli(['superadmin', 'add', 'nobody@test.tenantry.local'], emulatorEnv());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user with the e-mail nobody@test.tenantry.local');

    const empty = await mkdtemp(join(tmpdir(), 'tenantry-cli-'));
    try {
      const none = await cli(['superadmin', 'list'], { TENANTRY_DATA_DIR: empty });
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/COGNITO_USER_POOL_ID and COGNITO_REGION.*COGNITO_ENDPOINT.*TENANTRY_DATA_DIR/s);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const usage = await cli(['superadmin', 'add'], emulatorEnv());
    expect(usage.stderr).toContain('Usage:');
  });

  it("without COGNITO_* uses the local stack's provisioning in TENANTRY_DATA_DIR", async () => {
    // What a running `pnpm dev` keeps there: the proxy's port and the provisioned pool.
    const dataDir = await mkdtemp(join(tmpdir(), 'tenantry-cli-'));
    try {
      await mkdir(join(dataDir, 'cognito'));
      const port = Number(new URL(localOnly('COGNITO_ENDPOINT')).port);
      await writeFile(join(dataDir, 'local-stack.json'), JSON.stringify({ ports: { cognito: port } }));
      await writeFile(
        join(dataDir, 'cognito', 'tenantry-local.json'),
        JSON.stringify({ userPoolId: stackEnv().COGNITO_USER_POOL_ID }),
      );
      const listed = await cli(['superadmin', 'list'], { TENANTRY_DATA_DIR: dataDir });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(demoUser('superadmin').email);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
