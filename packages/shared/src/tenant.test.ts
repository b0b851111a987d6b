import { describe, expect, it } from 'vitest';
import { effectivePlan, PLANS } from './plans.js';
import { can, PERMISSIONS, roleAtLeast } from './roles.js';
import { CreateTenantInput, Domain, Slug, slugFromName } from './tenant.js';

describe('slugs', () => {
  it('are derived from names: lower-case, accents and apostrophes dropped, dashes between words', () => {
    expect(slugFromName('Saint Mary’s Hospital')).toBe('saint-marys-hospital');
    expect(slugFromName('  École  Élémentaire -- Nord ')).toBe('ecole-elementaire-nord');
    expect(slugFromName('ACME, Inc.')).toBe('acme-inc');
    expect(slugFromName('x'.repeat(60))).toHaveLength(48);
    expect(slugFromName('a '.repeat(40))).not.toMatch(/-$/);
  });

  it('accept url-safe names of 3 to 48 characters and refuse reserved words', () => {
    expect(Slug.parse(' Acme-Health ')).toBe('acme-health');
    for (const bad of ['ab', 'a'.repeat(49), 'acme_health', '-acme', 'acme-', 'ac--me', 'acmé']) {
      expect(Slug.safeParse(bad).success, bad).toBe(false);
    }
    for (const reserved of ['www', 'api', 'admin']) {
      expect(Slug.safeParse(reserved).error?.issues[0]?.message).toBe('This name is reserved');
    }
  });

  it('are optional when creating a tenant; names are trimmed and bounded', () => {
    expect(CreateTenantInput.parse({ name: '  Acme ' })).toEqual({ name: 'Acme' });
    expect(CreateTenantInput.safeParse({ name: 'A' }).success).toBe(false);
  });
});

describe('domains', () => {
  it('are host names without scheme or port', () => {
    expect(Domain.parse('App.Example.COM')).toBe('app.example.com');
    for (const bad of ['localhost', 'https://example.com', 'example.com:8080', '-x.example.com']) {
      expect(Domain.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('plans and roles', () => {
  it('use the catalogue, with a custom plan’s overrides (null is unlimited)', () => {
    expect(effectivePlan('basic').maxUsers).toBe(100);
    expect(effectivePlan('basic', { maxUsers: 5 }).maxUsers).toBe(100);
    expect(effectivePlan('custom', { maxUsers: null, features: [] })).toMatchObject({ maxUsers: null, features: [] });
    expect(effectivePlan('custom').apiRequestsPerDay).toBe(PLANS.custom.apiRequestsPerDay);
  });

  it('rank owner ⊇ admin ⊇ member ⊇ viewer', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('member', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
  });

  it('allow each action from the weakest role the matrix names, upwards', () => {
    expect(can('viewer', 'projects.read')).toBe(true);
    expect(can('viewer', 'projects.write')).toBe(false);
    expect(can('member', 'projects.delete')).toBe(false);
    expect(can('admin', 'projects.delete')).toBe(true);
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(can('owner', permission), permission).toBe(true);
    }
  });
});
