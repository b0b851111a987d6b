/**
 * Generates a tenant migration from the difference between the tenant entities (src/db/tenant) and a
 * scratch tenant schema built from the committed tenant migrations.
 * Usage: pnpm --filter @tenantry/api migration:create:tenant <name>   (needs DATABASE_URL)
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createOrm } from '../db/orm.js';
import { tenantMigrations } from '../db/migrations/tenant/index.js';
import { quotedSchema } from '../db/tenant-schema.js';
import { parseDatabaseEnv } from '../env.js';
import { orExit } from './env-or-exit.js';

const name = process.argv[2];
if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) {
  console.error('Usage: pnpm --filter @tenantry/api migration:create:tenant <name_in_snake_case>');
  process.exit(1);
}
const env = orExit(() => parseDatabaseEnv(process.env));
const orm = await createOrm({ databaseUrl: env.DATABASE_URL, poolMax: 2 });
const scratch = `t_${randomBytes(16).toString('hex')}`;
const quoted = quotedSchema(scratch);
try {
  const em = orm.em.fork();
  await em.execute(`create schema ${quoted}`);
  for (const migration of tenantMigrations) for (const sql of migration.up(quoted)) await em.execute(sql);
  const diff = await orm.schema.getUpdateSchemaSQL({ schema: scratch, wrap: false });
  const statements = diff
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('set names'))
    // Only tenant tables: control-plane entities name schema `public`, which the diff leaves unqualified.
    .filter((line) => line.includes(quoted));
  if (!statements.length) {
    console.log('No changes: the tenant entities match the tenant migrations.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const className = `Migration${stamp}_${name}`;
    const body = statements.map((sql) => `    \`${sql.split(quoted).join('${s}')}\`,`).join('\n');
    const file = fileURLToPath(new URL(`../db/migrations/tenant/${className}.ts`, import.meta.url));
    await writeFile(
      file,
      `import type { TenantMigration } from './types.js';\n\nexport const ${className}: TenantMigration = {\n  name: '${className}',\n  up: (s) => [\n${body}\n  ],\n};\n`,
    );
    console.log(`Created ${file}.\nReview it, then add it to src/db/migrations/tenant/index.ts (at the end).`);
  }
} finally {
  await orm.em.fork().execute(`drop schema if exists ${quoted} cascade`);
  await orm.close();
}
