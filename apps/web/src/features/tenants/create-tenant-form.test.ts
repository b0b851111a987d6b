import { describe, expect, it } from 'vitest';
import { validateCreateTenant } from './create-tenant-form';

describe('validateCreateTenant', () => {
  it('accepts a name alone (the address is derived by the server)', () => {
    expect(validateCreateTenant({ name: ' Acme ', slug: '  ' })).toEqual({ data: { name: 'Acme' }, errors: {} });
  });

  it('normalises an address given', () => {
    expect(validateCreateTenant({ name: 'Acme', slug: 'Acme-Labs' }).data).toEqual({ name: 'Acme', slug: 'acme-labs' });
  });

  it('reports one message per field', () => {
    const { data, errors } = validateCreateTenant({ name: 'A', slug: 'admin' });
    expect(data).toBeNull();
    expect(errors).toEqual({ name: 'At least 2 characters', slug: 'This name is reserved' });
  });
});
