import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { type DemoUser, startLocalStack } from '../src/local-stack/index.js';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/local-stack/pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The services' configuration for this run: the stand-ins' variables plus any configured ones. */
    stackEnv: Record<string, string>;
    /** The emulator's demo users (empty when Cognito is configured from the environment). */
    demoUsers: DemoUser[];
  }
}

/** Service variables a CI may set to use real services instead of stand-ins (and its own master keys). */
const SERVICE_VARIABLES = /^(DATABASE_URL|COGNITO_[A-Z_]+|S3_[A-Z_]+|REDIS_URL|MASTER_KEY|MASTER_KEYS_PREVIOUS)$/;

/**
 * One local stack for the whole run, in a fresh temporary directory. With DATABASE_URL set (CI's
 * PostgreSQL), a database of its own is created on that server and dropped afterwards, so parallel
 * runs never share tables.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const began = performance.now();
  // Known and documented (the SDK's later releases need Node 22): not repeated by every test worker.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = await mkdtemp(join(tmpdir(), 'tenantry-test-'));
  const configured = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => SERVICE_VARIABLES.test(entry[0]) && Boolean(entry[1]),
    ),
  );

  let testDatabase: { server: string; name: string } | undefined;
  if (configured.DATABASE_URL) {
    testDatabase = { server: configured.DATABASE_URL, name: `tenantry_test_${randomBytes(6).toString('hex')}` };
    await ensureDatabase(testDatabase.server, testDatabase.name);
    configured.DATABASE_URL = withDatabase(testDatabase.server, testDatabase.name);
  }

  const stack = await startLocalStack({
    dataDir,
    env: process.env,
    log: (line) => {
      if (!line.includes('ready in')) console.log(`[local-stack] ${line}`);
    },
  });
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  const parts = stack.started.length ? stack.started.join(', ') : 'nothing (all configured)';
  console.log(`[local-stack] ${parts} started in ${seconds} s${testDatabase ? `; database ${testDatabase.name}` : ''}`);

  project.provide('stackEnv', { ...configured, ...stack.env });
  project.provide('demoUsers', stack.demoUsers);

  return async () => {
    await stack.stop();
    if (testDatabase) await dropDatabase(testDatabase.server, testDatabase.name);
    await rm(dataDir, { recursive: true, force: true });
  };
}
