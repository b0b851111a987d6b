import { describe, expect, it } from 'vitest';
import { planFormFrom, setPlanInput, type PlanForm } from './plan-form';

const GB = 1024 ** 3;
const TENANT = '3f2a9c1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f';

const custom = (patch: Partial<PlanForm> = {}): PlanForm => ({
  plan: 'custom',
  maxUsers: '50',
  storageGb: '5',
  apiRequestsPerDay: '',
  features: ['audit_log'],
  ...patch,
});

describe('planFormFrom', () => {
  it("starts from the tenant's limits in force, unlimited as empty", () => {
    expect(
      planFormFrom({
        plan: 'custom',
        name: 'Custom',
        maxUsers: 50,
        storageBytes: 1.5 * GB,
        apiRequestsPerDay: null,
        features: ['custom_domain', 'audit_log'],
        overrides: null,
      }),
    ).toEqual({
      plan: 'custom',
      maxUsers: '50',
      storageGb: '1.5',
      apiRequestsPerDay: '',
      features: ['audit_log', 'custom_domain'],
    });
  });
});

describe('setPlanInput', () => {
  it('sends a catalogue plan without limits', () => {
    expect(setPlanInput(TENANT, custom({ plan: 'premium', maxUsers: 'junk' }))).toEqual({
      input: { tenantId: TENANT, plan: 'premium' },
    });
  });

  it('sends custom limits in bytes, empty fields as unlimited, with the features ticked', () => {
    expect(setPlanInput(TENANT, custom())).toEqual({
      input: {
        tenantId: TENANT,
        plan: 'custom',
        overrides: { maxUsers: 50, storageBytes: 5 * GB, apiRequestsPerDay: null, features: ['audit_log'] },
      },
    });
    expect(setPlanInput(TENANT, custom({ storageGb: '0,5' })).input?.overrides?.storageBytes).toBe(GB / 2);
  });

  it('refuses limits that are not positive whole numbers, field by field', () => {
    expect(setPlanInput(TENANT, custom({ maxUsers: '0', storageGb: '-1', apiRequestsPerDay: '2.5' })).errors).toEqual({
      maxUsers: 'A whole number of at least 1, or empty for unlimited',
      storageGb: 'A size in GB greater than 0, or empty for unlimited',
      apiRequestsPerDay: 'A whole number of at least 1, or empty for unlimited',
    });
  });
});
