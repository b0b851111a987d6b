import type { PresignedUpload } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSchemaName } from '../../src/db/tenant-schema.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { connectDb, type Db } from '../helpers/db.js';
import { postUpload } from '../helpers/files.js';
import { captureOrmSql, tenantTableNames, tenantTableReferences, unqualifiedTenantTables } from '../helpers/sql-log.js';
import { createUser, type TestUser } from '../helpers/stack-env.js';
import { call, createReadyTenant, tenantHeader, type CallOptions, type TestTenant } from '../helpers/tenants.js';

const SCHEMA = 't_0123456789abcdef0123456789abcdef';

describe('the qualification checker', () => {
  it('knows the tenant tables from the tenant entities', () => {
    expect([...tenantTableNames].sort()).toEqual(['audit_log', 'config', 'exports', 'files', 'projects']);
  });

  it('accepts statements qualified with the request’s schema, and those touching no tenant table', () => {
    const fine = [
      `select "p0".* from "${SCHEMA}"."projects" as "p0" where "p0"."id" = '1' limit 1`,
      `insert into "${SCHEMA}"."projects" ("id", "name") values ($1, $2)`,
      `update "${SCHEMA}" . "config" set "value" = 'projects' where "key" = 'config'`,
      `select * from "tenants" where "slug" = 'projects'`,
      `select "m0"."role" from "public"."memberships" as "m0" -- from projects`,
      `select count(*) from "public"."projects_archive"`,
    ];
    for (const sql of fine) expect(unqualifiedTenantTables(sql, SCHEMA), sql).toEqual([]);
  });

  it('catches an unqualified table, quoted or bare, and another tenant’s or public’s', () => {
    expect(unqualifiedTenantTables(`select * from "projects" as "p0"`, SCHEMA)).toEqual(['"projects" (no schema)']);
    expect(unqualifiedTenantTables(`delete from projects where id = $1`, SCHEMA)).toEqual(['"projects" (no schema)']);
    expect(unqualifiedTenantTables(`select * from public.config`, SCHEMA)).toEqual([
      '"public"."config" (another schema)',
    ]);
    expect(unqualifiedTenantTables(`select * from "t_ffffffffffffffffffffffffffffffff"."projects"`, SCHEMA)).toEqual([
      '"t_ffffffffffffffffffffffffffffffff"."projects" (another schema)',
    ]);
    // A join where only one side lost its schema.
    expect(
      tenantTableReferences(`select * from "${SCHEMA}"."projects" p join "config" c on true`).map((r) => r.schema),
    ).toEqual([SCHEMA, null]);
  });
});

describe('tenant traffic', () => {
  /** Sets the tenant up and provisions it (its worker also runs other files' jobs). */
  let setup: TestApp;
  /** Serves the traffic under test, with no worker: its ORM log holds only request statements. */
  let t: TestApp;
  let db: Db;
  let owner: TestUser;
  let tenant: TestTenant;

  beforeAll(async () => {
    [setup, t] = await Promise.all([buildTestApp(), buildTestApp({}, { worker: false })]);
    db = await connectDb();
    owner = await createUser();
    tenant = await createReadyTenant(setup.app, owner, `Qualified ${Date.now()}`);
    const switched = await call(
      t.app,
      'mutation',
      'tenants.switch',
      { id: tenant.id },
      { token: owner.tokens.accessToken },
    );
    expect(switched.status).toBe(200);
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
    await setup?.close();
  });

  it.each([
    ['explicit context (X-Tenant-ID)', true],
    ['the current tenant', false],
  ])('qualifies every tenant table with the request’s schema: %s', async (_how, explicit) => {
    const schema = tenantSchemaName(tenant.id);
    const sql = captureOrmSql(t.app.services.orm);
    const options: CallOptions = {
      token: owner.tokens.accessToken,
      ...(explicit ? { headers: tenantHeader(tenant.id) } : {}),
    };
    const problems: string[] = [];
    const seen: string[] = [];
    let tenantStatements = 0;
    const run = async (kind: 'query' | 'mutation', path: string, input?: unknown) => {
      sql.clear();
      const res = await call<{ id?: string }>(t.app, kind, path, input, options);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      for (const statement of sql.statements) {
        seen.push(statement);
        tenantStatements += tenantTableReferences(statement).length ? 1 : 0;
        for (const problem of unqualifiedTenantTables(statement, schema))
          problems.push(`${path}: ${problem} in ${statement}`);
      }
      return res.data;
    };
    try {
      const created = await run('mutation', 'projects.create', { name: 'Qualified ward', description: 'x' });
      const id = created.id!;
      await run('query', 'projects.list', {});
      await run('query', 'projects.list', { search: 'ward', status: 'active', limit: 1 });
      await run('query', 'projects.get', { id });
      await run('mutation', 'projects.update', { id, name: 'Qualified lab', status: 'archived' });
      await run('mutation', 'projects.delete', { id });
      await run('query', 'tenants.current');
      await run('mutation', 'tenants.update', { name: `${tenant.name} renamed` });
      await run('mutation', 'config.set', { key: 'timezone', value: 'Europe/Paris' });
      await run('mutation', 'config.setSecret', { name: 'qualified', value: 'qualified-secret-value' });
      await run('query', 'config.get');
      await run('mutation', 'config.deleteSecret', { name: 'qualified' });
      // The plan change writes the tenant's audit; the export reads it (a premium feature).
      await run('mutation', 'tenants.changePlan', { plan: 'premium' });
      await run('query', 'tenants.plan');
      await run('query', 'audit.export', {});
      await run('query', 'audit.list', {});
      await run('query', 'usage.summary', { from: '2026-01-01', to: '2026-01-31' });
      // Files: the quota check's raw SQL, the upload's confirmation, the list's keyset pages, delete.
      const upload = await run('mutation', 'files.createUpload', { name: 'q.txt', size: 2, contentType: 'text/plain' });
      const presigned = upload as unknown as PresignedUpload;
      expect((await postUpload(presigned, new TextEncoder().encode('ok'), 'text/plain')).ok).toBe(true);
      await run('mutation', 'files.completeUpload', { id: presigned.file.id });
      await run('query', 'files.list', { search: 'q', type: 'text/', sort: 'name', limit: 1 });
      await run('query', 'files.getDownloadUrl', { id: presigned.file.id });
      await run('mutation', 'files.delete', { id: presigned.file.id });
      // Export (premium) and health: the in-flight check, the list, and health's raw counts per table.
      await run('mutation', 'tenants.export');
      await run('query', 'tenants.exports');
      await run('query', 'tenants.health');
    } finally {
      sql.stop();
    }
    expect(problems).toEqual([]);
    // The log saw the tenant statements (a silent capture would pass vacuously).
    expect(tenantStatements).toBeGreaterThanOrEqual(14);
    // The same traffic with its schema lost (the bug this guards against) is caught, statement by statement.
    const lost = seen.filter((s) => tenantTableReferences(s).length).map((s) => s.replaceAll(`"${schema}".`, ''));
    expect(lost.filter((s) => unqualifiedTenantTables(s, schema).length === 0)).toEqual([]);
  });

  it('keeps no tenant table in schema public', async () => {
    const rows = await db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_name = any($1)`,
      [tenantTableNames],
    );
    expect(rows).toEqual([]);
  });
});
