import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PlatformAuditSchema } from '../db/control/index.js';
import type { AuditContext } from './audit.js';

/** The superadmin behind a platform action, and the request it came in. */
export interface SuperadminActor {
  id: string;
  email: string;
  requestId: string | null;
  ip: string | null;
}

export interface PlatformAction {
  /** Null: the platform's own job acted, not a person. */
  superadmin: SuperadminActor | null;
  /** Null: the action concerns the whole platform, not one tenant. */
  tenantId: string | null;
  /** The procedure the superadmin called, or the action the job took. */
  procedure: string;
  details?: Record<string, unknown> | null;
}

/** The superadmin of a tenant audit context, as the actor of a platform row. */
export const superadminOf = (audit: AuditContext): SuperadminActor => ({
  id: audit.actorId,
  email: audit.actorEmail,
  requestId: audit.requestId,
  ip: audit.ip,
});

/**
 * Appends one row to the control plane's audit (append-only; it outlives any tenant schema). Call it inside
 * the transaction of the action it records, so both commit or neither does.
 */
export async function recordPlatformAction(em: EntityManager, action: PlatformAction): Promise<void> {
  // em.insert skips the entity's onCreate defaults: id and time are given here.
  await em.insert(PlatformAuditSchema, {
    id: randomUUID(),
    at: new Date(),
    superadminId: action.superadmin?.id ?? null,
    superadminEmail: action.superadmin?.email ?? null,
    tenantId: action.tenantId,
    procedure: action.procedure,
    details: action.details ?? null,
    requestId: action.superadmin?.requestId ?? null,
    ip: action.superadmin?.ip ?? null,
  });
}
