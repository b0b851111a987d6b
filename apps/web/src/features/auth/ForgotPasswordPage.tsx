import { ConfirmForgotPasswordInput, EmailOnlyInput } from '@tenantry/shared';
import { CodeField } from './CodeField';
import { EmailField } from './EmailField';
import { confirmResetPassword, resetPassword } from 'aws-amplify/auth';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../components/Button';
import { confirmResetPasswordError, forgotPasswordError, hidesAccountExistence, RESET_CODE_SENT } from './auth-errors';
import { type SignInHandoff } from './auth-paths';
import { AuthLayout, FormAlert } from './AuthLayout';
import { validateForm } from './form-validation';
import { NewPasswordField } from './PasswordChecklist';
import { SIGN_IN_PATH } from './redirect';
import { useAuthForm } from './useAuthForm';

const REQUEST_FIELDS: readonly 'email'[] = ['email'];
const validateRequest = (values: Record<'email', string>) => validateForm(EmailOnlyInput, values, REQUEST_FIELDS);

type ResetField = keyof ConfirmForgotPasswordInput;
const RESET_FIELDS: readonly ResetField[] = ['email', 'code', 'newPassword'];
const validateReset = (values: Record<ResetField, string>) =>
  validateForm(ConfirmForgotPasswordInput, values, RESET_FIELDS, ['newPassword']);

/** Asks Cognito to email a reset code; an unknown email looks the same as a known one. */
async function sendResetCode(email: string): Promise<void> {
  try {
    await resetPassword({ username: email });
  } catch (error) {
    if (!hidesAccountExistence(error)) throw error;
  }
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState<string | null>(null);
  return (
    <AuthLayout
      title={email ? 'Choose a new password' : 'Reset your password'}
      subtitle={
        email ? (
          <>
            Enter the 6-digit code sent to <strong>{email}</strong> and choose a new password.
          </>
        ) : (
          'Enter the email you sign in with. We will email you a code to reset your password.'
        )
      }
      footer={
        <>
          Remembered it? <Link to={SIGN_IN_PATH}>Back to sign in</Link>
        </>
      }
    >
      {email ? <ResetForm email={email} onChangeEmail={() => setEmail(null)} /> : <RequestCodeForm onSent={setEmail} />}
    </AuthLayout>
  );
}

function RequestCodeForm({ onSent }: { onSent: (email: string) => void }) {
  const form = useAuthForm({ initial: { email: '' }, fields: REQUEST_FIELDS, validate: validateRequest });
  const onSubmit = form.handleSubmit(async ({ email }) => {
    await sendResetCode(email);
    onSent(email);
  }, forgotPasswordError);
  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      {form.formError ? <FormAlert tone="error">{form.formError}</FormAlert> : null}
      <EmailField input={form.input('email')} error={form.errors.email} autoFocus />
      <Button type="submit" variant="primary" block loading={form.submitting} loadingLabel="Sending…">
        Send code
      </Button>
    </form>
  );
}

function ResetForm({ email, onChangeEmail }: { email: string; onChangeEmail: () => void }) {
  const navigate = useNavigate();
  const form = useAuthForm({
    initial: { email, code: '', newPassword: '' },
    fields: RESET_FIELDS,
    validate: validateReset,
  });
  const [notice, setNotice] = useState(RESET_CODE_SENT);
  const [resending, setResending] = useState(false);

  const onSubmit = form.handleSubmit(async ({ code, newPassword }) => {
    await confirmResetPassword({ username: email, confirmationCode: code, newPassword });
    const handoff: SignInHandoff = { notice: 'Your password has been reset. Sign in with your new password.', email };
    await navigate(SIGN_IN_PATH, { state: handoff });
  }, confirmResetPasswordError);

  const onResend = async () => {
    setResending(true);
    form.setFormError(null);
    try {
      await sendResetCode(email);
      setNotice(`${RESET_CODE_SENT} Codes sent earlier no longer work.`);
      form.focus('code');
    } catch (error) {
      form.showError(forgotPasswordError(error));
    } finally {
      setResending(false);
    }
  };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      {form.formError ? (
        <FormAlert tone="error">{form.formError}</FormAlert>
      ) : (
        <FormAlert tone="success">
          <span data-testid="reset-code-sent">{notice}</span>
        </FormAlert>
      )}
      <CodeField input={form.input('code')} error={form.errors.code} label="Code from the email" autoFocus />
      <NewPasswordField
        id="newPassword"
        label="New password"
        error={form.errors.newPassword}
        showUnmet={form.attempted}
        input={form.input('newPassword')}
      />
      <Button type="submit" variant="primary" block loading={form.submitting} loadingLabel="Saving…">
        Reset password
      </Button>
      <div className="form__row">
        <Button size="sm" variant="ghost" onClick={onChangeEmail}>
          Use another email
        </Button>
        <Button size="sm" variant="ghost" onClick={() => void onResend()} loading={resending} loadingLabel="Sending…">
          Send a new code
        </Button>
      </div>
    </form>
  );
}
