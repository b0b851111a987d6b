import type { TenantExport, TenantHealth } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import { exportInFlight, exportStatusText, storageText } from './tenant-ops';

const exp = (over: Partial<TenantExport>): TenantExport => ({
  id: '00000000-0000-4000-8000-000000000001',
  status: 'queued',
  progress: 0,
  step: null,
  size: null,
  error: null,
  requestedBy: null,
  createdAt: '2026-11-23T10:00:00.000Z',
  completedAt: null,
  ...over,
});

describe('exports', () => {
  it('polls only while an export is queued or running', () => {
    expect(exportInFlight(undefined)).toBe(false);
    expect(exportInFlight([exp({ status: 'ready' }), exp({ status: 'failed' })])).toBe(false);
    expect(exportInFlight([exp({ status: 'ready' }), exp({ status: 'running' })])).toBe(true);
    expect(exportInFlight([exp({ status: 'queued' })])).toBe(true);
  });

  it('says where an export stands', () => {
    expect(exportStatusText(exp({}))).toBe('Waiting to start…');
    expect(exportStatusText(exp({ status: 'running', progress: 42, step: 'Exporting table projects' }))).toBe(
      'Exporting table projects — 42%',
    );
    expect(exportStatusText(exp({ status: 'ready', size: 2048 }))).toMatch(/^Ready · 2(\.0)? KB$/);
    expect(exportStatusText(exp({ status: 'failed', error: 'S3 said no' }))).toBe('Failed: S3 said no');
  });
});

describe('health', () => {
  const health = (storage: TenantHealth['storage']): TenantHealth => ({
    tenantId: '00000000-0000-4000-8000-000000000002',
    schemaPresent: true,
    schemaVersion: 4,
    latestSchemaVersion: 4,
    tables: [],
    storage,
    recentJobErrors: [],
    healthy: true,
    problems: [],
    checkedAt: '2026-11-23T10:00:00.000Z',
  });

  it('puts counted and actual storage side by side, exports apart', () => {
    expect(storageText(health({ countedBytes: 0, objectBytes: 0, objects: 0, exportBytes: 0, exportObjects: 0 }))).toBe(
      '0 B counted, 0 B in 0 objects',
    );
    expect(
      storageText(health({ countedBytes: 3, objectBytes: 3, objects: 1, exportBytes: 2048, exportObjects: 1 })),
    ).toMatch(/^3 B counted, 3 B in 1 object; exports 2(\.0)? KB \(not counted\)$/);
  });
});
