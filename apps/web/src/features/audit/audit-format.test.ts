import { AuditAction } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import {
  actionLabel,
  actorLabel,
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  changeRows,
  formatAuditValue,
  shortId,
  targetLabel,
  visibleDaysNotice,
} from './audit-format';

const ID = '3f2a9c1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f';

describe('action labels', () => {
  it('labels every action of the shared enum, in its order', () => {
    expect(AUDIT_ACTIONS).toEqual(AuditAction.options);
    for (const action of AuditAction.options) expect(AUDIT_ACTION_LABELS[action]).toMatch(/^[A-Z]/);
  });
  it('uses human words', () => {
    expect(actionLabel('project.deleted')).toBe('Project deleted');
    expect(actionLabel('tenant.updated')).toBe('Organisation updated');
    expect(actionLabel('superadmin.accessed')).toBe('Superadmin access');
    expect(actionLabel('member.role_changed')).toBe('Member role changed');
  });
  it('shows an unknown action as recorded', () => {
    expect(actionLabel('files.uploaded')).toBe('files.uploaded');
    expect(actionLabel('toString')).toBe('toString');
  });
});

describe('ids, targets and actors', () => {
  it('shortens a UUID and keeps a short id whole', () => {
    expect(shortId(ID)).toBe('3f2a9c1e…');
    expect(shortId('abc')).toBe('abc');
    expect(shortId('123456789')).toBe('123456789');
  });
  it('names the target by type and short id', () => {
    expect(targetLabel('project', ID)).toBe('project 3f2a9c1e…');
    expect(targetLabel('tenant', null)).toBe('tenant');
  });
  it('names the actor by e-mail, else id, else the system', () => {
    expect(actorLabel({ actorEmail: 'ann@example.com', actorId: ID })).toBe('ann@example.com');
    expect(actorLabel({ actorEmail: null, actorId: ID })).toBe('3f2a9c1e…');
    expect(actorLabel({ actorEmail: null, actorId: null })).toBe('System');
  });
});

describe('formatAuditValue', () => {
  it('formats scalars, empties and structures', () => {
    expect(formatAuditValue('Roadmap')).toBe('Roadmap');
    expect(formatAuditValue('')).toBe('""');
    expect(formatAuditValue(3)).toBe('3');
    expect(formatAuditValue(false)).toBe('false');
    expect(formatAuditValue(null)).toBe('empty');
    expect(formatAuditValue(undefined)).toBeNull();
    expect(formatAuditValue({ a: 1, b: ['x'] })).toBe('{"a":1,"b":["x"]}');
  });
  it('does not throw on a value JSON cannot write', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(formatAuditValue(cycle)).toBe('(object)');
  });
  it('clips long values', () => {
    const text = formatAuditValue('x'.repeat(500));
    expect(text).toHaveLength(161);
    expect(text?.endsWith('…')).toBe(true);
  });
});

describe('changeRows', () => {
  it('pairs changed fields before → after', () => {
    expect(changeRows({ name: 'Old', status: 'active' }, { name: 'New', status: 'active' })).toEqual([
      { field: 'name', before: 'Old', after: 'New', kind: 'changed' },
      { field: 'status', before: 'active', after: 'active', kind: 'unchanged' },
    ]);
  });
  it('shows a creation as added fields', () => {
    expect(changeRows(null, { name: 'Roadmap', description: '' })).toEqual([
      { field: 'name', before: null, after: 'Roadmap', kind: 'added' },
      { field: 'description', before: null, after: '""', kind: 'added' },
    ]);
  });
  it('shows a deletion as removed fields', () => {
    expect(changeRows({ name: 'Roadmap' }, null)).toEqual([
      { field: 'name', before: 'Roadmap', after: null, kind: 'removed' },
    ]);
  });
  it('keeps before’s order, then fields only after has; null values are not absent ones', () => {
    expect(changeRows({ b: 1, a: null }, { a: 2, c: true })).toEqual([
      { field: 'b', before: '1', after: null, kind: 'removed' },
      { field: 'a', before: 'empty', after: '2', kind: 'changed' },
      { field: 'c', before: null, after: 'true', kind: 'added' },
    ]);
  });
  it('has no rows when nothing was recorded', () => {
    expect(changeRows(null, null)).toEqual([]);
    expect(changeRows({}, {})).toEqual([]);
  });
});

describe('visibleDaysNotice', () => {
  it('says how far back the plan shows, and what shows it all', () => {
    expect(visibleDaysNotice(7)).toBe('Your plan shows the last 7 days; upgrade to Premium for the full history.');
    expect(visibleDaysNotice(1)).toBe('Your plan shows the last day; upgrade to Premium for the full history.');
  });
  it('says nothing when the whole history is visible', () => {
    expect(visibleDaysNotice(null)).toBeNull();
    expect(visibleDaysNotice(undefined)).toBeNull();
  });
});
