import { PLANS } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import {
  disabledFeatureOf,
  featureChanges,
  joinNames,
  limitLabel,
  overageMessage,
  overagesOf,
  overridesSummary,
  planMove,
  upgradeHintText,
} from './plan-format';

const GB = 1024 ** 3;

describe('overageMessage', () => {
  it('says how many members to remove before a downgrade', () => {
    expect(overageMessage({ limit: 'maxUsers', inUse: 12, allowed: 10, over: 2 }, 'Basic')).toBe(
      'You have 12 members; Basic allows 10: remove 2 first',
    );
    expect(overageMessage({ limit: 'maxUsers', inUse: 1, allowed: 0, over: 1 }, 'Custom')).toBe(
      'You have 1 member; Custom allows 0: remove 1 first',
    );
  });

  it('says how much storage to free, in human units', () => {
    expect(overageMessage({ limit: 'storageBytes', inUse: 12 * GB, allowed: 10 * GB, over: 2 * GB }, 'Basic')).toBe(
      'You use 12 GB of storage; Basic allows 10 GB: free 2 GB first',
    );
  });
});

describe('reading refusals', () => {
  const refusal = (details: unknown) => ({ data: { code: 'CONFLICT', appCode: 'PLAN_LIMIT', details } });

  it('reads the overages of a PLAN_LIMIT refusal', () => {
    const overages = [{ limit: 'maxUsers', inUse: 12, allowed: 10, over: 2 }];
    expect(overagesOf(refusal({ overages }))).toEqual(overages);
  });

  it('reads nothing from other errors or malformed details', () => {
    expect(overagesOf(new Error('boom'))).toEqual([]);
    expect(overagesOf(refusal(null))).toEqual([]);
    expect(overagesOf(refusal({ overages: [{ limit: 'seats' }] }))).toEqual([]);
  });

  it('reads the feature and plans of a FEATURE_DISABLED refusal', () => {
    expect(disabledFeatureOf(refusal({ feature: 'custom_domain', plans: ['enterprise'] }))).toEqual({
      feature: 'custom_domain',
      plans: ['enterprise'],
    });
    expect(disabledFeatureOf(refusal({ feature: 'teleport', plans: [] }))).toBeNull();
    expect(disabledFeatureOf(undefined)).toBeNull();
  });
});

describe('upgrade hints', () => {
  it('names the plans that include a feature', () => {
    expect(joinNames(['Premium'])).toBe('Premium');
    expect(joinNames(['Premium', 'Enterprise'])).toBe('Premium and Enterprise');
    expect(joinNames(['Basic', 'Premium', 'Enterprise'])).toBe('Basic, Premium and Enterprise');
    expect(upgradeHintText('Audit CSV export', ['premium', 'enterprise'])).toBe(
      'Audit CSV export is included in Premium and Enterprise',
    );
    expect(upgradeHintText('Teleport', [])).toBe('Teleport is not included in your plan');
  });
});

describe('plan cards', () => {
  it('labels limits, unlimited included', () => {
    expect(limitLabel('maxUsers', 100)).toBe('Up to 100 members');
    expect(limitLabel('maxUsers', null)).toBe('Unlimited members');
    expect(limitLabel('storageBytes', 10 * GB)).toBe('10 GB storage');
    expect(limitLabel('apiRequestsPerDay', 100_000)).toBe('100,000 API requests a day');
  });

  it('orders plans for upgrades and downgrades', () => {
    expect(planMove('basic', 'premium')).toBe('upgrade');
    expect(planMove('enterprise', 'basic')).toBe('downgrade');
    expect(planMove('premium', 'premium')).toBe('current');
    expect(planMove('custom', 'basic')).toBe('switch');
  });

  it('lists the features a switch adds and removes', () => {
    expect(featureChanges(PLANS.basic, PLANS.premium)).toEqual({
      gained: ['audit_log', 'data_export', 'biometric_auth'],
      lost: [],
    });
    expect(featureChanges(PLANS.enterprise, PLANS.premium).lost).toEqual(['custom_domain', 'advanced_analytics']);
  });
});

describe('overridesSummary', () => {
  it('lists the limits a custom plan sets, unlimited included', () => {
    expect(overridesSummary({ maxUsers: 50, storageBytes: 5 * GB, apiRequestsPerDay: null, features: [] })).toBe(
      'Up to 50 members · 5 GB storage · Unlimited API requests a day · no features',
    );
    expect(overridesSummary({ maxUsers: 3, features: ['custom_domain'] })).toBe('Up to 3 members · Custom domain');
  });
});
