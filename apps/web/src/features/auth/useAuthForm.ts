import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { AuthFormError } from './auth-errors';
import type { FieldErrors, FormValidation } from './form-validation';

export interface AuthFormOptions<F extends string, T> {
  initial: Record<F, string>;
  /** Fields in the order they appear: the first invalid one gets the focus. */
  fields: readonly F[];
  validate: (values: Record<F, string>) => FormValidation<F, T>;
}

/**
 * State of an account form: values, errors next to each field or for the whole form, and a submit
 * that validates, runs the Cognito call and shows its error where it belongs, focusing that field.
 */
export function useAuthForm<F extends string, T>({ initial, fields, validate }: AuthFormOptions<F, T>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const inputs = useRef<Partial<Record<F, HTMLInputElement | null>>>({});

  const focus = (field: F) => {
    inputs.current[field]?.focus();
  };

  const showError = (error: AuthFormError<F>) => {
    if (error.field === null) {
      setFormError(error.message);
      return;
    }
    setErrors((current) => ({ ...current, [error.field as F]: error.message }));
    focus(error.field);
  };

  /** Props for the `<input>` of a field. */
  const input = (field: F) => ({
    ref: (el: HTMLInputElement | null) => {
      inputs.current[field] = el;
    },
    value: values[field],
    readOnly: submitting,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const next = { ...values, [field]: event.target.value };
      setValues(next);
      // After a first attempt, errors follow the input so they disappear as soon as a field is fixed.
      if (attempted) setErrors(validate(next).errors);
    },
  });

  /** Validates, then runs `action`; a thrown error goes through `mapError` to its field or the form. */
  const handleSubmit =
    (action: (data: T) => Promise<void>, mapError: (error: unknown) => AuthFormError<F>) =>
    (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      if (submitting) return;
      setAttempted(true);
      setFormError(null);
      const { data, errors: found } = validate(values);
      setErrors(found);
      if (!data) {
        const firstInvalid = fields.find((field) => found[field]);
        if (firstInvalid) focus(firstInvalid);
        return;
      }
      setSubmitting(true);
      action(data)
        .catch((error: unknown) => showError(mapError(error)))
        .finally(() => setSubmitting(false));
    };

  const reset = (next: Record<F, string> = initial) => {
    setValues(next);
    setErrors({});
    setFormError(null);
    setAttempted(false);
  };

  return {
    values,
    errors,
    formError,
    submitting,
    attempted,
    input,
    handleSubmit,
    showError,
    setFormError,
    reset,
    focus,
  };
}
