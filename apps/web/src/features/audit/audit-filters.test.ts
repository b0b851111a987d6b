import { AuditListInput } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import {
  auditListInput,
  dateInputToIso,
  dateRangeError,
  hasAuditFilters,
  NO_AUDIT_FILTERS,
  type AuditFilters,
} from './audit-filters';

const filters = (patch: Partial<AuditFilters>): AuditFilters => ({ ...NO_AUDIT_FILTERS, ...patch });

describe('dateInputToIso', () => {
  it('reads a date input as the start of that day, in the user’s time zone', () => {
    expect(dateInputToIso('2026-11-01')).toBe(new Date(2026, 10, 1).toISOString());
  });
  it('reads the end of the day when asked', () => {
    expect(dateInputToIso('2026-11-01', { endOfDay: true })).toBe(new Date(2026, 10, 1, 23, 59, 59, 999).toISOString());
  });
  it('drops what is not a calendar date', () => {
    expect(dateInputToIso('')).toBeUndefined();
    expect(dateInputToIso('yesterday')).toBeUndefined();
    expect(dateInputToIso('2026-02-30')).toBeUndefined();
    expect(dateInputToIso('2026-13-01')).toBeUndefined();
  });
});

describe('auditListInput', () => {
  it('sends only the limit without filters', () => {
    expect(auditListInput(NO_AUDIT_FILTERS)).toEqual({ limit: 50 });
  });
  it('drops empty and blank strings', () => {
    expect(auditListInput(filters({ actor: '   ', from: '', to: '' }), 20)).toEqual({ limit: 20 });
  });
  it('maps every filter, trimming the actor and including the whole "to" day', () => {
    const input = auditListInput(
      filters({ action: 'project.deleted', actor: ' ann@ ', from: '2026-11-01', to: '2026-11-23' }),
    );
    expect(input).toEqual({
      limit: 50,
      action: 'project.deleted',
      actor: 'ann@',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 23, 23, 59, 59, 999).toISOString(),
    });
  });
  it('produces what the API contract accepts', () => {
    const input = auditListInput(
      filters({ action: 'tenant.updated', actor: 'x'.repeat(300), from: '2026-01-01', to: '2026-01-31' }),
    );
    expect(AuditListInput.safeParse(input).success).toBe(true);
    expect(input.actor).toHaveLength(200);
  });
});

describe('hasAuditFilters and dateRangeError', () => {
  it('tells a filtered list from the whole one', () => {
    expect(hasAuditFilters(NO_AUDIT_FILTERS)).toBe(false);
    expect(hasAuditFilters(filters({ actor: '  ' }))).toBe(false);
    expect(hasAuditFilters(filters({ action: 'project.created' }))).toBe(true);
    expect(hasAuditFilters(filters({ to: '2026-11-01' }))).toBe(true);
  });
  it('flags an end date before the start date, and accepts one day', () => {
    expect(dateRangeError(filters({ from: '2026-11-02', to: '2026-11-01' }))).toMatch(/before the start/);
    expect(dateRangeError(filters({ from: '2026-11-01', to: '2026-11-01' }))).toBeUndefined();
    expect(dateRangeError(filters({ from: '2026-11-01' }))).toBeUndefined();
  });
});
