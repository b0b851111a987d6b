import type { AuditAction, AuditListInput } from '@tenantry/shared';

/** The filter form as typed: strings straight from the inputs (dates as `YYYY-MM-DD`, '' for "any"). */
export interface AuditFilters {
  action: AuditAction | '';
  actor: string;
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { action: '', actor: '', from: '', to: '' };

/** The API accepts at most this many characters for the actor filter. */
export const ACTOR_MAX_LENGTH = 200;

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date input's value as a moment of the user's day: its first millisecond, or with `endOfDay` its last. */
export function dateInputToIso(value: string, { endOfDay = false } = {}): string | undefined {
  const match = DATE_INPUT.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = endOfDay ? new Date(year, month - 1, day, 23, 59, 59, 999) : new Date(year, month - 1, day);
  // Rejects days the calendar does not have (2026-02-30 would roll over to March).
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return undefined;
  return date.toISOString();
}

/** The list input for these filters: dates to ISO instants (the "to" day included), empty values dropped. */
export function auditListInput(filters: AuditFilters, limit = 50): Omit<AuditListInput, 'cursor'> {
  const actor = filters.actor.trim().slice(0, ACTOR_MAX_LENGTH);
  const from = dateInputToIso(filters.from);
  const to = dateInputToIso(filters.to, { endOfDay: true });
  return {
    limit,
    ...(filters.action ? { action: filters.action } : {}),
    ...(actor ? { actor } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** True when any filter narrows the list (so an empty result means "no match", not "nothing yet"). */
export function hasAuditFilters(filters: AuditFilters): boolean {
  const input = auditListInput(filters);
  return Boolean(input.action || input.actor || input.from || input.to);
}

/** Why the date range cannot match anything, if it cannot. */
export function dateRangeError(filters: AuditFilters): string | undefined {
  const from = dateInputToIso(filters.from);
  const to = dateInputToIso(filters.to, { endOfDay: true });
  return from && to && from > to ? 'The end date is before the start date.' : undefined;
}
