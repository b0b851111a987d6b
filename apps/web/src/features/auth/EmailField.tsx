import type { ComponentPropsWithRef } from 'react';
import { Field } from '../../components/Field';

interface EmailFieldProps {
  /** What `useAuthForm(...).input('email')` returns. */
  input: ComponentPropsWithRef<'input'>;
  error?: string | undefined;
  label?: string;
  autoFocus?: boolean;
}

/** The email input of every account form: typed, autocompleted, never capitalised or spell-checked. */
export function EmailField({ input, error, label = 'Email', autoFocus = false }: EmailFieldProps) {
  return (
    <Field id="email" label={label} error={error}>
      {(control) => (
        <input
          {...control}
          {...input}
          className="input"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus={autoFocus}
        />
      )}
    </Field>
  );
}
