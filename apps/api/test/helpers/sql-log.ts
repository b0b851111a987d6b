import type { Orm } from '../../src/db/orm.js';
import { tenantEntities } from '../../src/db/tenant/index.js';

/** The tables every tenant schema has, from the tenant entities (`schema: '*'`). */
export const tenantTableNames: readonly string[] = tenantEntities.map((e) => {
  const table = e.meta.tableName;
  if (!table) throw new Error(`tenant entity ${e.meta.className} has no table name`);
  return table;
});

export interface SqlLog {
  /** Every statement the ORM executed since the last `clear()`, in order. */
  readonly statements: string[];
  clear(): void;
  stop(): void;
}

/**
 * Records every statement the app's ORM runs. Every query of every fork goes through the connection's
 * `logQuery` on the configuration's one logger, whatever the debug setting, so wrapping that sees them all
 * without changing how the app was built.
 */
export function captureOrmSql(orm: Orm): SqlLog {
  const logger = orm.config.getLogger();
  const original = logger.logQuery.bind(logger);
  const statements: string[] = [];
  logger.logQuery = (context) => {
    if (context.query) statements.push(context.query);
    original(context);
  };
  return {
    statements,
    clear: () => {
      statements.length = 0;
    },
    stop: () => {
      logger.logQuery = original;
    },
  };
}

/** Removes string literals and comments, so a value that happens to read "projects" is not an identifier. */
function stripLiterals(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
}

export interface TableReference {
  table: string;
  /** The schema it was qualified with, unquoted; null when the reference had none. */
  schema: string | null;
}

/** Every reference to one of `tables` as an identifier (quoted or bare), with the schema that qualifies it. */
export function tenantTableReferences(sql: string, tables: readonly string[] = tenantTableNames): TableReference[] {
  const names = tables.map((t) => t.replace(/[^a-z0-9_]/gi, '')).join('|');
  // [schema.]table where each part is "quoted" or bare; a bare part must not be glued to other word chars.
  const pattern = new RegExp(
    `(?:(?:"([^"]+)"|\\b([a-z_][a-z0-9_$]*))\\s*\\.\\s*)?(?:"(${names})"|(?<![\\w"$])(${names})(?![\\w"$]))`,
    'gi',
  );
  const refs: TableReference[] = [];
  for (const m of stripLiterals(sql).matchAll(pattern)) {
    const table = (m[3] ?? m[4])!;
    const schema = m[1] ?? m[2] ?? null;
    refs.push({ table, schema });
  }
  return refs;
}

/**
 * The problems with one statement run for a request in `schema`: a tenant table that is not qualified,
 * or qualified with another schema. Empty when the statement is fine (or touches no tenant table).
 */
export function unqualifiedTenantTables(
  sql: string,
  schema: string,
  tables: readonly string[] = tenantTableNames,
): string[] {
  return tenantTableReferences(sql, tables)
    .filter((r) => r.schema !== schema)
    .map((r) => (r.schema ? `"${r.schema}"."${r.table}" (another schema)` : `"${r.table}" (no schema)`));
}
