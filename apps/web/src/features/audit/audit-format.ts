import { AuditAction, PLANS } from '@tenantry/shared';

/** What each audited action is called on screen. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'tenant.created': 'Organisation created',
  'tenant.updated': 'Organisation updated',
  'tenant.suspended': 'Organisation suspended',
  'tenant.resumed': 'Organisation resumed',
  'tenant.plan_changed': 'Plan changed',
  'tenant.deletion_requested': 'Organisation deletion requested',
  'tenant.restored': 'Organisation restored',
  'tenant.purged': 'Organisation data removed',
  'tenant.export_requested': 'Data export requested',
  'tenant.exported': 'Data export ready',
  'project.created': 'Project created',
  'project.updated': 'Project updated',
  'project.deleted': 'Project deleted',
  'file.uploaded': 'File uploaded',
  'file.deleted': 'File deleted',
  'member.role_changed': 'Member role changed',
  'member.invited': 'Member invited',
  'member.invitation_revoked': 'Invitation revoked',
  'member.invitation_resent': 'Invitation re-sent',
  'member.invitation_declined': 'Invitation declined',
  'member.joined': 'Member joined',
  'member.removed': 'Member removed',
  'member.left': 'Member left',
  'config.updated': 'Setting changed',
  'config.secret_set': 'Secret set',
  'config.secret_deleted': 'Secret deleted',
  'superadmin.accessed': 'Superadmin access',
};

/** The actions the filter offers, in the shared enum's order. */
export const AUDIT_ACTIONS: readonly AuditAction[] = AuditAction.options;

/** The label of a known action; an action this build does not know yet is shown as recorded. */
export function actionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action) ? AUDIT_ACTION_LABELS[action as AuditAction] : action;
}

/** The first characters of a long id (a UUID), enough to tell entries apart; the full id goes in a tooltip. */
export function shortId(id: string, length = 8): string {
  return id.length > length + 1 ? `${id.slice(0, length)}…` : id;
}

/** "project 3f2a9c1e…", or only the type when the entry names no single target. */
export function targetLabel(targetType: string, targetId: string | null): string {
  return targetId ? `${targetType} ${shortId(targetId)}` : targetType;
}

/** Who did it: their e-mail, else their id, else the platform itself. */
export function actorLabel(entry: { actorEmail: string | null; actorId: string | null }): string {
  return entry.actorEmail ?? (entry.actorId ? shortId(entry.actorId) : 'System');
}

const MAX_VALUE_LENGTH = 160;

/** One recorded value as text; `undefined` (the field was not there) is `null` so the row can show a dash. */
export function formatAuditValue(value: unknown): string | null {
  if (value === undefined) return null;
  if (value === null) return 'empty';
  if (typeof value === 'string') return value === '' ? '""' : clip(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    // Functions and symbols have no JSON; a cycle throws. Neither comes from the API, but the row still renders.
    return clip(JSON.stringify(value) ?? `(${typeof value})`);
  } catch {
    return `(${typeof value})`;
  }
}

const clip = (text: string): string => (text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text);

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ChangeRow {
  field: string;
  /** Null when the field was absent on that side. */
  before: string | null;
  after: string | null;
  kind: ChangeKind;
}

type Changes = Record<string, unknown> | null | undefined;

/** The fields of `before` and `after` as rows, in the order they were recorded (before's first, then new ones). */
export function changeRows(before: Changes, after: Changes): ChangeRow[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const had = before != null && Object.hasOwn(before, field);
    const has = after != null && Object.hasOwn(after, field);
    const b = had ? formatAuditValue(before?.[field]) : null;
    const a = has ? formatAuditValue(after?.[field]) : null;
    const kind: ChangeKind = !had ? 'added' : !has ? 'removed' : b === a ? 'unchanged' : 'changed';
    return { field, before: b, after: a, kind };
  });
}

/** The notice for a plan that shows only recent entries, or null when the whole history is visible. */
export function visibleDaysNotice(visibleDays: number | null | undefined): string | null {
  if (visibleDays == null) return null;
  const span = visibleDays === 1 ? 'the last day' : `the last ${visibleDays} days`;
  return `Your plan shows ${span}; upgrade to ${PLANS.premium.name} for the full history.`;
}
