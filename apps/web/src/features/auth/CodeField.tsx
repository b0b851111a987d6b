import type { ComponentPropsWithRef } from 'react';
import { Field } from '../../components/Field';

interface CodeFieldProps {
  /** What `useAuthForm(...).input('code')` returns. */
  input: ComponentPropsWithRef<'input'>;
  error?: string | undefined;
  label: string;
  autoFocus?: boolean;
}

/** The emailed one-time code: numeric keypad, and the browser may fill it from the message. */
export function CodeField({ input, error, label, autoFocus = false }: CodeFieldProps) {
  return (
    <Field id="code" label={label} error={error}>
      {(control) => (
        <input
          {...control}
          {...input}
          className="input input--code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          autoFocus={autoFocus}
        />
      )}
    </Field>
  );
}
