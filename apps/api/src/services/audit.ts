import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AUDIT_EXPORT_MAX_ROWS,
  BASIC_AUDIT_VISIBLE_DAYS,
  type AuditExport,
  type AuditExportInput,
  type AuditAction,
  type AuditEntry as AuditEntryModel,
  type AuditListInput,
  type AuditPage,
} from '@tenantry/shared';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tenant } from '../db/control/index.js';
import { AuditEntrySchema, type AuditEntry } from '../db/tenant/index.js';
import { decodeCursor, pageBy } from './cursor.js';
import { hasFeature } from './plans.js';

/** Who acts and from where: built once per tenant request (tenantProcedure), passed to every audited change. */
export interface AuditContext {
  actorId: string;
  actorEmail: string;
  actorIsSuperadmin: boolean;
  requestId: string;
  ip: string;
  userAgent: string | null;
}

export interface AuditRecord {
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const MAX_USER_AGENT = 500;

/**
 * Appends one audit row with the caller's EntityManager: call it inside the transaction of the change
 * it describes, so both commit or neither does.
 */
export async function recordAudit(
  em: EntityManager,
  context: AuditContext,
  record: AuditRecord,
  /** The tenant schema, when `em` is not already bound to it (control-plane transactions). */
  schema?: string,
): Promise<void> {
  await em.insert(
    AuditEntrySchema,
    {
      // em.insert skips onCreate defaults.
      id: randomUUID(),
      at: new Date(),
      action: record.action,
      actorId: context.actorId,
      actorEmail: context.actorEmail,
      actorIsSuperadmin: context.actorIsSuperadmin,
      targetType: record.targetType,
      targetId: record.targetId ?? null,
      before: record.before ?? null,
      after: record.after ?? null,
      requestId: context.requestId,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    },
    schema ? { schema } : {},
  );
}

/** The fields of `after` that differ from `before`, as the two small records an audit row keeps. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const keys = Object.keys(after).filter((k) => after[k] !== undefined && after[k] !== before[k]);
  if (!keys.length) return null;
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])),
  };
}

function toModel(e: AuditEntry): AuditEntryModel {
  return {
    id: e.id,
    action: e.action,
    actorId: e.actorId ?? null,
    actorEmail: e.actorEmail ?? null,
    actorIsSuperadmin: e.actorIsSuperadmin,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    at: e.at.toISOString(),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const Uuid = z.uuid();

/** The filters of a list or export, with the plan's window applied. */
function auditFilter(tenant: Tenant, input: AuditExportInput) {
  const visibleDays = hasFeature(tenant, 'audit_log') ? null : BASIC_AUDIT_VISIBLE_DAYS;
  const from = [
    input.from ? new Date(input.from) : undefined,
    visibleDays ? new Date(Date.now() - visibleDays * DAY_MS) : undefined,
  ]
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const actor = input.actor;
  const where = {
    ...(input.action ? { action: input.action } : {}),
    ...(actor
      ? Uuid.safeParse(actor).success
        ? { actorId: actor }
        : { actorEmail: { $ilike: `%${actor.replace(/[\\%_]/g, '\\$&')}%` } }
      : {}),
    ...(from || input.to
      ? { at: { ...(from ? { $gte: from } : {}), ...(input.to ? { $lte: new Date(input.to) } : {}) } }
      : {}),
  };
  return { where, visibleDays };
}

/**
 * The tenant's audit, newest first. Without the plan feature `audit_log` only the last
 * BASIC_AUDIT_VISIBLE_DAYS days are visible (older rows are kept, not shown).
 */
export async function listAudit(em: EntityManager, tenant: Tenant, input: AuditListInput): Promise<AuditPage> {
  const limit = input.limit ?? 50;
  const { where, visibleDays } = auditFilter(tenant, input);
  const cursor = decodeCursor(input.cursor);
  const rows = await em.find(
    AuditEntrySchema,
    {
      ...where,
      ...(cursor ? { $or: [{ at: { $lt: cursor.createdAt } }, { at: cursor.createdAt, id: { $lt: cursor.id } }] } : {}),
    },
    { orderBy: { at: 'desc', id: 'desc' }, limit: limit + 1 },
  );
  const page = pageBy(rows, limit, toModel, (r) => ({ createdAt: r.at, id: r.id }));
  return { ...page, visibleDays };
}

const CSV_COLUMNS = [
  'at',
  'action',
  'actor_email',
  'actor_id',
  'by_superadmin',
  'target_type',
  'target_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'request_id',
] as const;

/** One CSV cell: quoted, and never read as a formula by a spreadsheet (=, +, -, @ at the start). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit rows the filters select (newest first, at most AUDIT_EXPORT_MAX_ROWS) as CSV. */
export async function exportAudit(em: EntityManager, tenant: Tenant, input: AuditExportInput): Promise<AuditExport> {
  const { where } = auditFilter(tenant, input);
  const rows = await em.find(AuditEntrySchema, where, {
    orderBy: { at: 'desc', id: 'desc' },
    limit: AUDIT_EXPORT_MAX_ROWS + 1,
  });
  const kept = rows.slice(0, AUDIT_EXPORT_MAX_ROWS);
  const lines = [
    CSV_COLUMNS.join(','),
    ...kept.map((r) =>
      [
        r.at.toISOString(),
        r.action,
        r.actorEmail,
        r.actorId,
        r.actorIsSuperadmin,
        r.targetType,
        r.targetId,
        r.before,
        r.after,
        r.ip,
        r.userAgent,
        r.requestId,
      ]
        .map(csvCell)
        .join(','),
    ),
  ];
  return {
    filename: `audit-${tenant.slug}-${new Date().toISOString().slice(0, 10)}.csv`,
    csv: `${lines.join('\r\n')}\r\n`,
    rows: kept.length,
    truncated: rows.length > AUDIT_EXPORT_MAX_ROWS,
  };
}
