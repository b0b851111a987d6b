import type { TenantStatusInfo } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import { newerStatus } from './useTenantStatus';

const info = (status: TenantStatusInfo['status'], updatedAt: string): TenantStatusInfo => ({
  id: '44444444-4444-4444-8444-444444444444',
  status,
  step: null,
  error: null,
  attempts: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  preparationStartedAt: null,
  preparationCompletedAt: null,
  updatedAt,
});

describe('newerStatus', () => {
  it('keeps whichever report is newer, so a late poll cannot undo a streamed change', () => {
    const streamed = info('ready', '2026-01-01T00:00:02.000Z');
    const polled = info('preparing', '2026-01-01T00:00:01.000Z');
    expect(newerStatus(streamed, polled)).toBe(streamed);
    expect(newerStatus(polled, streamed)).toBe(streamed);
  });

  it('uses the one it has', () => {
    const only = info('pending', '2026-01-01T00:00:00.000Z');
    expect(newerStatus(null, only)).toBe(only);
    expect(newerStatus(only, undefined)).toBe(only);
    expect(newerStatus(null, null)).toBeNull();
  });
});
