import { ConfirmSignUpInput, EmailOnlyInput } from '@tenantry/shared';
import { CodeField } from './CodeField';
import { EmailField } from './EmailField';
import { confirmSignUp, resendSignUpCode } from 'aws-amplify/auth';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../components/Button';
import { confirmSignUpError, resendCodeError } from './auth-errors';
import { SIGN_UP_PATH, withNext, type SignInHandoff } from './auth-paths';
import { AuthLayout, FormAlert } from './AuthLayout';
import { validateForm } from './form-validation';
import { safeNextPath, SIGN_IN_PATH } from './redirect';
import { useAuthForm } from './useAuthForm';

type ConfirmField = keyof ConfirmSignUpInput;
const FIELDS: readonly ConfirmField[] = ['email', 'code'];
const RESEND_COOLDOWN_SECONDS = 30;

const validate = (values: Record<ConfirmField, string>) => validateForm(ConfirmSignUpInput, values, FIELDS);

export function ConfirmSignUpPage() {
  const [params] = useSearchParams();
  const parsed = EmailOnlyInput.safeParse({ email: params.get('email') ?? '' });
  const email = parsed.success ? parsed.data.email : null;
  const next = safeNextPath(params.get('next'));
  return (
    <AuthLayout
      title="Confirm your email"
      subtitle={
        email ? (
          <>
            Enter the 6-digit code we emailed to <strong>{email}</strong>.
          </>
        ) : (
          'Enter your email and the 6-digit code we sent to it.'
        )
      }
      footer={
        <>
          Wrong email? <Link to={withNext(SIGN_UP_PATH, next)}>Sign up again</Link>
        </>
      }
    >
      <ConfirmForm knownEmail={email} next={next} />
    </AuthLayout>
  );
}

/** Seconds left before the action may run again; `start` restarts the count. */
function useCooldown(seconds: number) {
  const [remaining, setRemaining] = useState(0);
  useEffect(() => {
    if (remaining <= 0) return;
    const timer = setTimeout(() => setRemaining((r) => r - 1), 1000);
    return () => clearTimeout(timer);
  }, [remaining]);
  return { remaining, start: () => setRemaining(seconds) };
}

function ConfirmForm({ knownEmail, next }: { knownEmail: string | null; next: string }) {
  const navigate = useNavigate();
  const form = useAuthForm({ initial: { email: knownEmail ?? '', code: '' }, fields: FIELDS, validate });
  const cooldown = useCooldown(RESEND_COOLDOWN_SECONDS);
  const [resending, setResending] = useState(false);
  const [resent, setResent] = useState<string | null>(null);

  const onSubmit = form.handleSubmit(
    async ({ email, code }) => {
      await confirmSignUp({ username: email, confirmationCode: code });
      const handoff: SignInHandoff = { notice: 'Your account is confirmed. Sign in to continue.', email };
      await navigate(withNext(SIGN_IN_PATH, next), { state: handoff });
    },
    (error) => {
      const found = confirmSignUpError(error);
      // The email came with the link and has no field on the page: say it for the whole form.
      return knownEmail && found.field === 'email' ? { field: null, message: found.message } : found;
    },
  );

  const onResend = async () => {
    const parsed = EmailOnlyInput.safeParse({ email: form.values.email });
    if (!parsed.success) {
      form.showError({ field: 'email', message: 'Enter the email you signed up with' });
      return;
    }
    setResending(true);
    setResent(null);
    form.setFormError(null);
    try {
      const { destination } = await resendSignUpCode({ username: parsed.data.email });
      setResent(`We sent a new code to ${destination ?? parsed.data.email}.`);
      cooldown.start();
      form.focus('code');
    } catch (error) {
      form.showError(resendCodeError(error));
    } finally {
      setResending(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit}
      aria-describedby={form.formError ? 'confirm-error' : undefined}
    >
      {form.formError ? (
        <FormAlert id="confirm-error" tone="error">
          {form.formError}
        </FormAlert>
      ) : null}
      {resent ? <FormAlert tone="success">{resent}</FormAlert> : null}
      {knownEmail ? null : <EmailField input={form.input('email')} error={form.errors.email} autoFocus />}
      <CodeField
        input={form.input('code')}
        error={form.errors.code}
        label="Confirmation code"
        autoFocus={Boolean(knownEmail)}
      />
      <Button type="submit" variant="primary" block loading={form.submitting} loadingLabel="Confirming…">
        Confirm account
      </Button>
      <div className="form__row">
        <span className="muted">Didn’t get the email?</span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => void onResend()}
          loading={resending}
          loadingLabel="Sending…"
          disabled={cooldown.remaining > 0}
        >
          {cooldown.remaining > 0 ? `Resend code (${cooldown.remaining}s)` : 'Resend code'}
        </Button>
      </div>
    </form>
  );
}
