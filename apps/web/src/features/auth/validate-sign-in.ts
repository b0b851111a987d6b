import { SignInInput } from '@tenantry/shared';

export type SignInField = keyof SignInInput;
export type SignInFieldErrors = Partial<Record<SignInField, string>>;

export type SignInValidation =
  { data: SignInInput; errors: SignInFieldErrors } | { data: null; errors: SignInFieldErrors };

/** Checks the form with `SignInInput` (the shared model) and keeps the first message for each field. */
export function validateSignIn(values: Record<SignInField, string>): SignInValidation {
  const result = SignInInput.safeParse(values);
  if (result.success) return { data: result.data, errors: {} };
  const errors: SignInFieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if ((field === 'email' || field === 'password') && !errors[field]) errors[field] = issue.message;
  }
  return { data: null, errors };
}
