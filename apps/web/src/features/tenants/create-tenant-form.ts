import { CreateTenantInput } from '@tenantry/shared';
import { validateForm, type FormValidation } from '../auth/form-validation';

export type CreateTenantField = 'name' | 'slug';
export const CREATE_TENANT_FIELDS: readonly CreateTenantField[] = ['name', 'slug'];

/** Checks the create-organisation form with the shared schema; an empty address means "derive it from the name". */
export function validateCreateTenant(
  values: Record<CreateTenantField, string>,
): FormValidation<CreateTenantField, CreateTenantInput> {
  const slug = values.slug.trim();
  const input = { name: values.name, ...(slug ? { slug } : {}) };
  return validateForm<CreateTenantField, CreateTenantInput>(
    { safeParse: (v) => CreateTenantInput.safeParse(v) },
    input as Record<CreateTenantField, string>,
    CREATE_TENANT_FIELDS,
  );
}
