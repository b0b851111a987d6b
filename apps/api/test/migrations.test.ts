import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, migrateControlPlane, type Orm } from '../src/db/orm.js';
import { controlPlaneMigrations } from '../src/db/migrations/control/index.js';
import { stackEnv } from './helpers/stack-env.js';

/** A database of its own, so this file can migrate from nothing without touching the shared one. */
const dbName = `tenantry_migrations_${randomBytes(4).toString('hex')}`;
let url: string;
let admin: pg.Client;

beforeAll(async () => {
  const base = new URL(stackEnv().DATABASE_URL);
  admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  base.pathname = `/${dbName}`;
  url = base.toString();
});
afterAll(async () => {
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
});

describe('control-plane migrations', () => {
  let orms: Orm[] = [];
  afterAll(async () => {
    await Promise.all(orms.map((o) => o.close()));
    orms = [];
  });

  it('apply once even when several instances start together, and match the entities', async () => {
    orms = await Promise.all([1, 2, 3].map(() => createOrm({ databaseUrl: url, poolMax: 3 })));
    const applied = await Promise.all(orms.map((o) => migrateControlPlane(o)));
    expect(applied.flat().sort()).toEqual(controlPlaneMigrations.map((m) => m.name).sort());

    // What the committed migrations built is exactly what the entities describe.
    const drift = await orms[0]!.schema.getUpdateSchemaSQL({ wrap: false });
    expect(drift.trim()).toBe('');
  });

  it('are a no-op when the database is up to date', async () => {
    const orm = await createOrm({ databaseUrl: url, poolMax: 2 });
    orms.push(orm);
    expect(await migrateControlPlane(orm)).toEqual([]);
  });
});

describe('the migrate command', () => {
  const run = (databaseUrl: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@tenantry/source', 'src/cli/migrate.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });

  it('applies pending migrations to a new database, then reports it up to date', async () => {
    const name = `${dbName}_cli`;
    await admin.query(`create database "${name}"`);
    try {
      const target = new URL(url);
      target.pathname = `/${name}`;
      expect((await run(target.toString())).stdout).toContain(`Applied: ${controlPlaneMigrations[0]!.name}`);
      expect((await run(target.toString())).stdout).toContain('Control plane is up to date.');
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`);
    }
  });

  it('names the missing variable', async () => {
    const failure = await run('').then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('DATABASE_URL is required');
  });
});
