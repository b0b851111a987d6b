import { CreateProjectInput, UpdateProjectInput, type ProjectStatus } from '@tenantry/shared';
import { validateForm, type FormValidation } from '../auth/form-validation';

export type ProjectField = 'name' | 'description';
const FIELDS: readonly ProjectField[] = ['name', 'description'];

export interface ProjectFormValues {
  name: string;
  description: string;
}

export function validateNewProject(values: ProjectFormValues): FormValidation<ProjectField, CreateProjectInput> {
  return validateForm<ProjectField, CreateProjectInput>(
    { safeParse: (v) => CreateProjectInput.safeParse(v) },
    { name: values.name, description: values.description },
    FIELDS,
  );
}

export function validateProjectChanges(
  id: string,
  values: ProjectFormValues & { status: ProjectStatus },
): FormValidation<ProjectField, UpdateProjectInput> {
  return validateForm<ProjectField, UpdateProjectInput>(
    { safeParse: (v) => UpdateProjectInput.safeParse({ ...(v as object), id }) },
    { name: values.name, description: values.description, status: values.status } as Record<ProjectField, string>,
    FIELDS,
  );
}
