import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantMigrationStart, TenantMigrationStatus } from '@tenantry/shared';
import { createOrm, migrateControlPlane, type Orm } from '../src/db/orm.js';
import { tenantMigrations, type TenantMigration } from '../src/db/migrations/tenant/index.js';
import { quotedSchema, tenantSchemaName } from '../src/db/tenant-schema.js';
import { migrateTenantSchema } from '../src/services/tenant-migrator.js';
import { migrateAllTenants, type TenantMigrationProgress } from '../src/services/tenant-migrations.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { connectDb, isolatedDatabase, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, stackEnv, type TestUser } from './helpers/stack-env.js';
import { call, createReadyTenant, tenantHeader } from './helpers/tenants.js';

// A database of its own: the runs below migrate every lagging tenant they find, and an extra test migration
// must never reach the other files' tenants.
let iso: Awaited<ReturnType<typeof isolatedDatabase>>;
let t: TestApp;
let db: Db;
let orm: Orm;

beforeAll(async () => {
  iso = await isolatedDatabase('tenantry_tmigr');
  t = await buildTestApp({ DATABASE_URL: iso.url });
  db = await connectDb(iso.url);
  orm = await createOrm({ databaseUrl: iso.url, poolMax: 8, log: () => undefined });
});
afterAll(async () => {
  await orm?.close();
  await db?.close();
  await t?.close();
  await iso?.drop();
});

/**
 * Ready tenants made the fast way (a row, then the real tenant migrations up to `version`), without
 * members or provisioning jobs: what these tests need is schemas at a known version.
 */
async function bulkTenants(target: Orm, count: number, version = tenantMigrations.length): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    await target.em.fork().execute(
      `insert into tenants (id, slug, name, schema_name, status, schema_version, created_at, updated_at)
         values (?, ?, ?, ?, 'ready', 0, now(), now())`,
      [id, `mig-${randomBytes(5).toString('hex')}`, `Migration test ${i}`, tenantSchemaName(id)],
    );
    await migrateTenantSchema(target.em.fork(), id, { migrations: tenantMigrations.slice(0, version) });
    ids.push(id);
  }
  return ids;
}

/** One more migration after the real ones: adds `column` to projects, optionally sleeping first. */
function addColumn(column: string, sleepSeconds = 0): TenantMigration[] {
  return [
    ...tenantMigrations,
    {
      name: `test_add_${column}`,
      up: (s) => [
        ...(sleepSeconds ? [`select pg_sleep(${sleepSeconds})`] : []),
        `alter table ${s}."projects" add column "${column}" text`,
      ],
    },
  ];
}

async function logRows(target: Db, ids: string[], version: number) {
  return target.query<{ tenant_id: string; n: number }>(
    `select tenant_id, count(*)::int as n from tenant_migration_log
      where tenant_id = any($1::uuid[]) and version = $2 group by tenant_id`,
    [ids, version],
  );
}

async function versions(target: Db, ids: string[]): Promise<number[]> {
  const rows = await target.query<{ schema_version: number }>(
    'select schema_version from tenants where id = any($1::uuid[])',
    [ids],
  );
  return rows.map((r) => r.schema_version);
}

async function hasColumn(target: Db, id: string, column: string): Promise<boolean> {
  const rows = await target.query(
    `select 1 from information_schema.columns where table_schema = $1 and table_name = 'projects' and column_name = $2`,
    [tenantSchemaName(id), column],
  );
  return rows.length === 1;
}

describe('migrateAllTenants', () => {
  it('brings every lagging tenant to the latest version, each migration logged once, and a re-run does nothing', async () => {
    const ids = await bulkTenants(orm, 6);
    const migrations = addColumn('col_all');
    const progress: TenantMigrationProgress[] = [];
    const report = await migrateAllTenants({
      orm,
      concurrency: 3,
      migrations,
      tenantIds: ids,
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({ latestVersion: migrations.length, lagging: 6, migrated: 6, failed: [], skipped: 0 });
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await versions(db, ids)).toEqual(ids.map(() => migrations.length));
    const rows = await logRows(db, ids, migrations.length);
    expect(rows.map((r) => r.n)).toEqual(ids.map(() => 1));
    for (const id of ids) expect(await hasColumn(db, id, 'col_all')).toBe(true);

    const again = await migrateAllTenants({ orm, migrations, tenantIds: ids });
    expect(again).toMatchObject({ lagging: 0, migrated: 0, failed: [] });
  });

  it('reports a failing tenant, goes on with the others, and a re-run after the fix finishes it', async () => {
    const ids = await bulkTenants(orm, 5);
    const broken = ids[2]!;
    // A conflicting column already there: the added column fails for this schema only.
    await db.query(`alter table ${quotedSchema(tenantSchemaName(broken))}."projects" add column "col_fail" text`);
    const migrations = addColumn('col_fail');
    const report = await migrateAllTenants({ orm, concurrency: 2, migrations, tenantIds: ids });
    expect(report.migrated).toBe(4);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.tenant.id).toBe(broken);
    expect(report.failed[0]!.error).toContain('already exists');
    const [failure] = await db.query<{ target_version: number; error: string }>(
      'select target_version, error from tenant_migration_failures where tenant_id = $1',
      [broken],
    );
    expect(failure).toMatchObject({ target_version: migrations.length });
    expect(failure!.error).toContain('already exists');
    // Nothing of the failed attempt stayed: the tenant is still at the previous version, with no log row.
    expect(await versions(db, [broken])).toEqual([tenantMigrations.length]);
    expect(await logRows(db, [broken], migrations.length)).toEqual([]);

    await db.query(`alter table ${quotedSchema(tenantSchemaName(broken))}."projects" drop column "col_fail"`);
    const rerun = await migrateAllTenants({ orm, migrations, tenantIds: ids });
    expect(rerun).toMatchObject({ lagging: 1, migrated: 1, failed: [] });
    expect((await logRows(db, ids, migrations.length)).map((r) => r.n)).toEqual(ids.map(() => 1));
    expect(await db.query('select 1 from tenant_migration_failures where tenant_id = $1', [broken])).toEqual([]);
  });

  it('two runners at once migrate each tenant exactly once between them', async () => {
    const ids = await bulkTenants(orm, 6);
    const migrations = addColumn('col_race', 0.1);
    const [a, b] = await Promise.all([
      migrateAllTenants({ orm, concurrency: 2, migrations, tenantIds: ids }),
      migrateAllTenants({ orm, concurrency: 2, migrations, tenantIds: ids }),
    ]);
    expect(a.failed).toEqual([]);
    expect(b.failed).toEqual([]);
    expect(a.migrated + b.migrated).toBe(6);
    expect((await logRows(db, ids, migrations.length)).map((r) => r.n)).toEqual(ids.map(() => 1));
  });

  it('leaves tenants being provisioned, failed or deleted to their own jobs', async () => {
    const ids = await bulkTenants(orm, 4);
    const statuses = ['preparing', 'failed', 'deleting', 'suspended'];
    for (const [i, id] of ids.entries()) {
      await db.query('update tenants set status = $1 where id = $2', [statuses[i], id]);
    }
    const migrations = addColumn('col_status');
    const report = await migrateAllTenants({ orm, migrations, tenantIds: ids });
    expect(report).toMatchObject({ lagging: 1, migrated: 1 });
    expect(await versions(db, [ids[3]!])).toEqual([migrations.length]);
    expect(await versions(db, ids.slice(0, 3))).toEqual([0, 1, 2].map(() => tenantMigrations.length));
  });

  it('the API keeps serving a tenant while a slow run migrates it and others', async () => {
    const owner = await createUser();
    const tenant = await createReadyTenant(t.app, owner);
    const others = await bulkTenants(orm, 6);
    const migrations = addColumn('col_serving', 0.3);
    let finished = false;
    const run = migrateAllTenants({ orm, concurrency: 2, migrations, tenantIds: [tenant.id, ...others] }).finally(
      () => (finished = true),
    );
    const statuses: number[] = [];
    let duringRun = 0;
    while (!finished) {
      const res = await call(
        t.app,
        'query',
        'projects.list',
        {},
        {
          token: owner.tokens.accessToken,
          headers: tenantHeader(tenant.id),
        },
      );
      statuses.push(res.status);
      if (!finished) duringRun += 1;
    }
    const report = await run;
    expect(report).toMatchObject({ migrated: 7, failed: [] });
    expect(duringRun).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const created = await call(
      t.app,
      'mutation',
      'projects.create',
      { name: 'After the run' },
      {
        token: owner.tokens.accessToken,
        headers: tenantHeader(tenant.id),
      },
    );
    expect(created.status).toBe(200);
  });
});

describe('admin.migrations', () => {
  let superadmin: TestUser;
  beforeAll(async () => {
    superadmin = await createUser({ groups: ['superadmin'] });
  });
  const admin = () => ({ token: superadmin.tokens.accessToken });

  async function waitForIdle(): Promise<TenantMigrationStatus> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await call<TenantMigrationStatus>(t.app, 'query', 'admin.migrations.status', undefined, admin());
      expect(res.status).toBe(200);
      if (res.data.job === null) return res.data;
      if (Date.now() > deadline) throw new Error(`migration job still ${res.data.job}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('are refused to anyone but a superadmin', async () => {
    const owner = await createUser();
    await createReadyTenant(t.app, owner);
    for (const [kind, path] of [
      ['query', 'admin.migrations.status'],
      ['mutation', 'admin.migrations.start'],
    ] as const) {
      const res = await call(t.app, kind, path, undefined, { token: owner.tokens.accessToken });
      expect(res.status).toBe(403);
      expect(res.body.error?.data.appCode).toBe('FORBIDDEN');
    }
  });

  it('show tenants behind with their last error, and start a job that migrates them', async () => {
    // One tenant a version behind; another too, but with the latest migration's objects already made behind
    // the runner's back, so applying it fails there ("already exists").
    const [behind, broken] = await bulkTenants(orm, 2, tenantMigrations.length - 1);
    const brokenSchema = quotedSchema(tenantSchemaName(broken!));
    for (const sql of tenantMigrations.at(-1)!.up(brokenSchema)) await db.query(sql);
    const before = await call<TenantMigrationStatus>(t.app, 'query', 'admin.migrations.status', undefined, admin());
    expect(before.data.latestVersion).toBe(tenantMigrations.length);
    expect(before.data.behind.map((x) => x.id).sort()).toEqual([behind, broken].sort());
    expect(before.data.behindCount).toBe(2);

    const started = await call<TenantMigrationStart>(t.app, 'mutation', 'admin.migrations.start', undefined, admin());
    expect(started.status).toBe(200);
    expect(started.data.queued).toBe(true);
    const after = await waitForIdle();
    expect(after.behind).toHaveLength(1);
    expect(after.behind[0]).toMatchObject({ id: broken, schemaVersion: tenantMigrations.length - 1 });
    expect(after.behind[0]!.lastError).toContain('already exists');

    // Fixed by hand, a second run from the console finishes it and clears the error.
    await db.query(`drop schema ${brokenSchema} cascade`);
    await db.query(`create schema ${brokenSchema}`);
    for (const m of tenantMigrations.slice(0, -1)) for (const sql of m.up(brokenSchema)) await db.query(sql);
    const again = await call<TenantMigrationStart>(t.app, 'mutation', 'admin.migrations.start', undefined, admin());
    expect(again.data.queued).toBe(true);
    const done = await waitForIdle();
    expect(done.behind).toEqual([]);
    expect(done.behindCount).toBe(0);
    expect(await versions(db, [behind!, broken!])).toEqual([tenantMigrations.length, tenantMigrations.length]);
  });

  it('starting a run is in the platform audit: the superadmin, no tenant, and it cannot be changed', async () => {
    const starter = await createUser({ groups: ['superadmin'] });
    const token = { token: starter.tokens.accessToken };
    await bulkTenants(orm, 1, tenantMigrations.length - 1);
    const before = await call<TenantMigrationStatus>(t.app, 'query', 'admin.migrations.status', undefined, token);
    const started = await call<TenantMigrationStart>(t.app, 'mutation', 'admin.migrations.start', undefined, token);
    expect(started.data.queued).toBe(true);
    await waitForIdle();

    const superadminId = await userIdByEmail(db, starter.email);
    const rows = await db.query<Record<string, unknown>>(
      `select superadmin_id, superadmin_email, tenant_id, procedure, details, request_id is not null as has_request
         from platform_audit where superadmin_id = $1`,
      [superadminId],
    );
    expect(rows).toEqual([
      {
        superadmin_id: superadminId,
        superadmin_email: starter.email,
        tenant_id: null,
        procedure: 'admin.migrations.start',
        details: { queued: true, targetVersion: tenantMigrations.length, tenantsBehind: before.data.behindCount },
        has_request: true,
      },
    ]);
    expect(before.data.behindCount).toBeGreaterThan(0);
    await expect(
      db.query(`update platform_audit set tenant_id = gen_random_uuid() where superadmin_id = $1`, [superadminId]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('delete from platform_audit where superadmin_id = $1', [superadminId])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('pnpm migrate:tenants', () => {
  const apiDir = fileURLToPath(new URL('..', import.meta.url));
  const COUNT = 16;
  const slow = JSON.stringify(['select pg_sleep(0.25)', 'alter table {schema}."projects" add column "col_cli" text']);

  function runCli(url: string, args: string[] = []) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@tenantry/source', 'src/cli/tenants-migrate.ts', ...args],
      {
        cwd: apiDir,
        env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test', TENANTRY_TEST_EXTRA_MIGRATION: slow },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    return { child, output: () => output };
  }

  it('killed mid-run and run again, finishes every tenant exactly once', { timeout: 180_000 }, async () => {
    const scratch = await isolatedDatabase('tenantry_tmigr_cli');
    const scratchOrm = await createOrm({ databaseUrl: scratch.url, poolMax: 4, log: () => undefined });
    const scratchDb = await connectDb(scratch.url);
    try {
      await migrateControlPlane(scratchOrm);
      const ids = await bulkTenants(scratchOrm, COUNT);
      const latest = tenantMigrations.length + 1;

      const first = runCli(scratch.url, ['--concurrency', '2']);
      // Killed once a few tenants are done, in the middle of others' transactions.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress:\n${first.output()}`)), 60_000);
        first.child.stdout.on('data', () => {
          if ((first.output().match(new RegExp(`→ ${latest}$`, 'gm')) ?? []).length >= 4) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      first.child.kill('SIGKILL');
      await once(first.child, 'exit');
      const doneBefore = (await versions(scratchDb, ids)).filter((v) => v === latest).length;
      expect(doneBefore).toBeGreaterThanOrEqual(4);
      expect(doneBefore).toBeLessThan(COUNT);

      const second = runCli(scratch.url);
      const [code] = (await once(second.child, 'exit')) as [number | null];
      expect(code, second.output()).toBe(0);
      expect(second.output()).toContain(`${COUNT - doneBefore} tenant(s) behind version ${latest}`);
      expect(second.output()).toContain(`${COUNT - doneBefore} migrated, 0 failed`);

      expect(await versions(scratchDb, ids)).toEqual(ids.map(() => latest));
      expect((await logRows(scratchDb, ids, latest)).map((r) => r.n)).toEqual(ids.map(() => 1));
      for (const id of ids) expect(await hasColumn(scratchDb, id, 'col_cli')).toBe(true);
    } finally {
      await scratchDb.close();
      await scratchOrm.close();
      await scratch.drop();
    }
  });

  it('refuses a bad --concurrency and exits 1 when a tenant fails', { timeout: 120_000 }, async () => {
    const bad = runCli(stackEnv().DATABASE_URL, ['--concurrency', '0']);
    const [badCode] = (await once(bad.child, 'exit')) as [number | null];
    expect(badCode).toBe(1);
    expect(bad.output()).toContain('--concurrency must be');

    const scratch = await isolatedDatabase('tenantry_tmigr_fail');
    const scratchOrm = await createOrm({ databaseUrl: scratch.url, poolMax: 4, log: () => undefined });
    const scratchDb = await connectDb(scratch.url);
    try {
      await migrateControlPlane(scratchOrm);
      const [ok, broken] = await bulkTenants(scratchOrm, 2);
      await scratchDb.query(
        `alter table ${quotedSchema(tenantSchemaName(broken!))}."projects" add column "col_cli" text`,
      );
      const run = runCli(scratch.url);
      const [code] = (await once(run.child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(run.output()).toContain('1 tenant(s) failed');
      expect(run.output()).toContain(broken);
      expect(await versions(scratchDb, [ok!])).toEqual([tenantMigrations.length + 1]);
    } finally {
      await scratchDb.close();
      await scratchOrm.close();
      await scratch.drop();
    }
  });
});
