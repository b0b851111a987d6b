import type { AnyRouter } from '@trpc/server';
import type { ProcedureType } from './tenants.js';

/** What the isolation tests need to know about one procedure of a router. */
export interface ProcedureInfo {
  path: string;
  type: ProcedureType;
  tenantScoped: boolean;
  /** Input fields; a procedure taking `id` names an object (a tenant, a project…) and must be tested across tenants. */
  inputFields: string[];
}

interface ProcedureDef {
  _def: { type: ProcedureType; meta?: { tenantScoped?: boolean }; inputs?: unknown[] };
}

/** Every procedure of a router, from its flat `_def.procedures` record. */
export function proceduresOf(router: AnyRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  return Object.entries(procedures).map(([path, p]) => ({
    path,
    type: p._def.type,
    tenantScoped: p._def.meta?.tenantScoped === true,
    inputFields: (p._def.inputs ?? []).flatMap((input) =>
      input && typeof input === 'object' && 'shape' in input ? Object.keys(input.shape as object) : [],
    ),
  }));
}

export interface AllowlistEntry {
  reason: string;
  /** Behind adminProcedure: the matrix checks that a tenant owner gets FORBIDDEN. */
  superadminOnly?: boolean;
}

/** Whether a procedure must have a cross-tenant case: it runs in a tenant, or names an object by id. */
export const needsCrossTenantCase = (p: ProcedureInfo) => p.tenantScoped || p.inputFields.includes('id');

/**
 * What is wrong with a case table and an allowlist against a router's procedures: procedures with
 * neither, names the router does not have, procedures in both, and allowlisted procedures that need a case.
 */
export function coverageProblems(
  procedures: readonly ProcedureInfo[],
  cases: readonly string[],
  allowlist: Readonly<Record<string, AllowlistEntry>>,
): string[] {
  const problems: string[] = [];
  const known = new Set(procedures.map((p) => p.path));
  for (const p of procedures) {
    const inCases = cases.includes(p.path);
    const allowed = allowlist[p.path];
    if (!inCases && !allowed) problems.push(`${p.path}: no cross-tenant case and not allowlisted`);
    if (inCases && allowed) problems.push(`${p.path}: both in the case table and the allowlist`);
    if (allowed && p.tenantScoped) problems.push(`${p.path}: tenant-scoped, so it needs a case, not the allowlist`);
    if (allowed && !p.tenantScoped && p.inputFields.includes('id') && !allowed.superadminOnly) {
      problems.push(`${p.path}: takes an object id, so it needs a case, not the allowlist`);
    }
  }
  for (const path of [...cases, ...Object.keys(allowlist)]) {
    if (!known.has(path)) problems.push(`${path}: named by the test but not a procedure of the router`);
  }
  return problems;
}
