/** Tenant schemas are named by the server from the tenant's uuid; nothing a client sends becomes a schema name. */
const TENANT_SCHEMA = /^t_[0-9a-f]{32}$/;

export function tenantSchemaName(tenantId: string): string {
  const name = `t_${tenantId.replace(/-/g, '').toLowerCase()}`;
  return assertTenantSchemaName(name);
}

export function assertTenantSchemaName(name: string): string {
  if (!TENANT_SCHEMA.test(name)) throw new Error(`Not a tenant schema name: ${JSON.stringify(name)}`);
  return name;
}

/** The schema name as a quoted SQL identifier; only names that passed the pattern above get here. */
export function quotedSchema(name: string): string {
  return `"${assertTenantSchemaName(name)}"`;
}
