import { passwordChecklist } from '@tenantry/shared';
import type { InputHTMLAttributes, Ref } from 'react';
import { Field } from '../../components/Field';

export interface PasswordChecklistProps {
  id: string;
  password: string;
  /** After a submit attempt, unmet rules are shown as errors rather than as still to do. */
  showUnmet: boolean;
}

/** The password policy as a live checklist: each rule met or not, announced as it changes. */
export function PasswordChecklist({ id, password, showUnmet }: PasswordChecklistProps) {
  return (
    <ul id={id} className="checklist" aria-label="Password requirements" aria-live="polite">
      {passwordChecklist(password).map(({ rule, label, met }) => {
        const state = met ? 'met' : showUnmet ? 'missing' : 'todo';
        return (
          <li key={rule} className={`checklist__item checklist__item--${state}`} data-rule={rule} data-met={met}>
            <span className="checklist__icon" aria-hidden="true">
              {met ? (
                <svg viewBox="0 0 16 16" width="10" height="10">
                  <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2.2" />
                </svg>
              ) : showUnmet ? (
                <svg viewBox="0 0 16 16" width="8" height="8">
                  <path d="M3 3l10 10M13 3L3 13" fill="none" stroke="currentColor" strokeWidth="2.4" />
                </svg>
              ) : null}
            </span>
            <span>{label}</span>
            <span className="visually-hidden">{met ? '(met)' : '(not met)'}</span>
          </li>
        );
      })}
    </ul>
  );
}

export interface NewPasswordFieldProps {
  id: string;
  label: string;
  error: string | undefined;
  showUnmet: boolean;
  input: Pick<InputHTMLAttributes<HTMLInputElement>, 'value' | 'readOnly' | 'onChange'> & {
    value: string;
    ref: Ref<HTMLInputElement>;
  };
}

/** A password input for a new password, with the policy checklist under it. */
export function NewPasswordField({ id, label, error, showUnmet, input }: NewPasswordFieldProps) {
  const checklistId = `${id}-rules`;
  return (
    <Field id={id} label={label} error={error}>
      {(control) => (
        <>
          <input
            {...control}
            {...input}
            aria-describedby={[control['aria-describedby'], checklistId].filter(Boolean).join(' ')}
            className="input"
            type="password"
            autoComplete="new-password"
          />
          <PasswordChecklist id={checklistId} password={input.value} showUnmet={showUnmet} />
        </>
      )}
    </Field>
  );
}
