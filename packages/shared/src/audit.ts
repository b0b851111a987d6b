import { z } from 'zod';

/** What happened, as `<target>.<verb>`; clients filter and label by these. */
export const AuditAction = z.enum([
  'tenant.created',
  'tenant.updated',
  'tenant.suspended',
  'tenant.resumed',
  'tenant.plan_changed',
  'tenant.deletion_requested',
  'tenant.restored',
  'tenant.purged',
  'tenant.export_requested',
  'tenant.exported',
  'project.created',
  'project.updated',
  'project.deleted',
  'file.uploaded',
  'file.deleted',
  'member.invited',
  'member.invitation_revoked',
  'member.invitation_resent',
  'member.invitation_declined',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.left',
  'config.updated',
  'config.secret_set',
  'config.secret_deleted',
  'superadmin.accessed',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** A small record of what changed: a few fields before and after, never secrets. */
export const AuditChanges = z.record(z.string(), z.unknown());

export const AuditEntry = z.object({
  id: z.uuid(),
  action: AuditAction,
  actorId: z.uuid().nullable(),
  actorEmail: z.string().nullable(),
  actorIsSuperadmin: z.boolean(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: AuditChanges.nullable(),
  after: AuditChanges.nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  at: z.iso.datetime(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditListInput = z.object({
  action: AuditAction.optional(),
  /** A user id, or part of an e-mail. */
  actor: z.string().trim().min(1).max(200).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type AuditListInput = z.input<typeof AuditListInput>;

export const AuditPage = z.object({
  items: z.array(AuditEntry),
  nextCursor: z.string().nullable(),
  /** Without the plan feature `audit_log`, only this many days back are visible (null: all of it). */
  visibleDays: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** How far back a tenant without the `audit_log` feature sees its audit. */
export const BASIC_AUDIT_VISIBLE_DAYS = 7;

/** `audit.export`: the same filters as the list, as one CSV file (plan feature `audit_log`). */
export const AuditExportInput = AuditListInput.pick({ action: true, actor: true, from: true, to: true });
export type AuditExportInput = z.input<typeof AuditExportInput>;

/** The most rows one export holds; narrow the dates for more. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

export const AuditExport = z.object({
  filename: z.string(),
  csv: z.string(),
  rows: z.number().int(),
  /** True when there were more rows than AUDIT_EXPORT_MAX_ROWS (the newest are kept). */
  truncated: z.boolean(),
});
export type AuditExport = z.infer<typeof AuditExport>;
