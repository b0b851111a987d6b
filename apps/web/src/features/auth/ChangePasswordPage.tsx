import { ChangePasswordInput } from '@tenantry/shared';
import { updatePassword } from 'aws-amplify/auth';
import { useState } from 'react';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Field } from '../../components/Field';
import { changePasswordError } from './auth-errors';
import { FormAlert } from './AuthLayout';
import { validateForm } from './form-validation';
import { NewPasswordField } from './PasswordChecklist';
import { useSession } from './session';
import { useAuthForm } from './useAuthForm';

type ChangePasswordField = keyof ChangePasswordInput;
const FIELDS: readonly ChangePasswordField[] = ['currentPassword', 'newPassword'];
const EMPTY: Record<ChangePasswordField, string> = { currentPassword: '', newPassword: '' };

const validate = (values: Record<ChangePasswordField, string>) =>
  validateForm(ChangePasswordInput, values, FIELDS, ['newPassword']);

export function ChangePasswordPage() {
  const { user } = useSession();
  return (
    <>
      <title>Change password · Tenantry</title>
      <div className="page-header">
        <h1 className="page-title">Change password</h1>
        <p className="page-subtitle">
          {user?.email ? `For ${user.email}. ` : null}You stay signed in on this device after the change.
        </p>
      </div>
      <div className="narrow">
        <Card title="Password" description="Enter your current password, then choose a new one.">
          <ChangePasswordForm />
        </Card>
      </div>
    </>
  );
}

function ChangePasswordForm() {
  const { user } = useSession();
  const form = useAuthForm({ initial: EMPTY, fields: FIELDS, validate });
  const [changed, setChanged] = useState(false);

  const onSubmit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    setChanged(false);
    await updatePassword({ oldPassword: currentPassword, newPassword });
    form.reset(EMPTY);
    setChanged(true);
  }, changePasswordError);

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      {form.formError ? <FormAlert tone="error">{form.formError}</FormAlert> : null}
      {changed && !form.formError ? (
        <FormAlert tone="success">
          <span data-testid="password-changed">Your password has been changed. Use it the next time you sign in.</span>
        </FormAlert>
      ) : null}
      {/* Lets password managers tie the new password to this account. */}
      <input type="email" name="username" autoComplete="username" value={user?.email ?? ''} readOnly hidden />
      <Field id="currentPassword" label="Current password" error={form.errors.currentPassword}>
        {(control) => (
          <input
            {...control}
            {...form.input('currentPassword')}
            className="input"
            type="password"
            autoComplete="current-password"
            autoFocus
          />
        )}
      </Field>
      <NewPasswordField
        id="newPassword"
        label="New password"
        error={form.errors.newPassword}
        showUnmet={form.attempted}
        input={form.input('newPassword')}
      />
      <div className="form__actions">
        <Button type="submit" variant="primary" loading={form.submitting} loadingLabel="Changing…">
          Change password
        </Button>
      </div>
    </form>
  );
}
