import { passwordChecklist } from '@tenantry/shared';

/** The part of a Zod schema the forms use (the SPA does not depend on Zod itself). */
export interface FormSchema<T> {
  safeParse(
    values: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export type FormValidation<F extends string, T> =
  { data: T; errors: FieldErrors<F> } | { data: null; errors: FieldErrors<F> };

/** Lower-cases the first letter of a checklist label, to use it inside a sentence. */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** One sentence naming every password rule not met yet, or `null` when all are met. */
export function unmetPasswordRules(password: string): string | null {
  const unmet = passwordChecklist(password)
    .filter((item) => !item.met)
    .map((item) => inSentence(item.label));
  if (unmet.length === 0) return null;
  const list = unmet.length === 1 ? unmet[0] : `${unmet.slice(0, -1).join(', ')} and ${unmet.at(-1)}`;
  return `The password still needs ${list}.`;
}

/**
 * Checks form values with a shared schema and keeps one message per field (the first); a new-password
 * field gets one sentence listing every unmet rule instead of one issue per rule.
 */
export function validateForm<F extends string, T>(
  schema: FormSchema<T>,
  values: Record<F, string>,
  fields: readonly F[],
  newPasswordFields: readonly F[] = [],
): FormValidation<F, T> {
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data, errors: {} };
  const errors: FieldErrors<F> = {};
  for (const issue of result.error.issues) {
    const field = fields.find((f) => f === issue.path[0]);
    if (field && !errors[field]) errors[field] = issue.message;
  }
  for (const field of newPasswordFields) {
    if (errors[field]) errors[field] = unmetPasswordRules(values[field]) ?? errors[field];
  }
  return { data: null, errors };
}
