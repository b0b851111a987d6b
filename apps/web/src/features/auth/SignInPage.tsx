import { signIn } from 'aws-amplify/auth';
import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { usePublicConfig } from '../../lib/config';
import { confirmPath, FORGOT_PASSWORD_PATH, readSignInHandoff, SIGN_UP_PATH, withNext } from './auth-paths';
import { DevMailboxLink } from '../dev/DevMailboxLink';
import { AuthLayout } from './AuthLayout';
import { HOME_PATH, safeNextPath } from './redirect';
import { useSession } from './session';
import { signInErrorMessage, unsupportedStepMessage } from './sign-in-errors';
import { validateSignIn, type SignInField, type SignInFieldErrors } from './validate-sign-in';

const FIELD_ORDER: readonly SignInField[] = ['email', 'password'];

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  return (
    <AuthLayout
      title="Sign in"
      subtitle={
        next === HOME_PATH
          ? 'Use your work email to reach the admin console.'
          : 'Sign in to continue where you left off.'
      }
      signedInTo={next}
      footer={
        <>
          New to Tenantry? <Link to={withNext(SIGN_UP_PATH, next)}>Create an account</Link>
          <DevMailboxLink before=" · " />
        </>
      }
    >
      <SignInForm />
    </AuthLayout>
  );
}

function SignInForm() {
  const { cognito } = usePublicConfig();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  // Another flow (confirmation, password reset) may hand over a notice and the email to prefill.
  const [handoff] = useState(() => readSignInHandoff(location.state));
  const formId = useId();
  const [values, setValues] = useState<Record<SignInField, string>>({ email: handoff.email ?? '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<SignInFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const inputs = useRef<Partial<Record<SignInField, HTMLInputElement | null>>>({});

  const onChange = (field: SignInField) => (event: ChangeEvent<HTMLInputElement>) => {
    const nextValues = { ...values, [field]: event.target.value };
    setValues(nextValues);
    // After a first attempt, errors follow the input so they disappear as soon as a field is fixed.
    if (attempted) setFieldErrors(validateSignIn(nextValues).errors);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    setAttempted(true);
    setFormError(null);
    const { data, errors } = validateSignIn(values);
    setFieldErrors(errors);
    if (!data) {
      const firstInvalid = FIELD_ORDER.find((field) => errors[field]);
      if (firstInvalid) inputs.current[firstInvalid]?.focus();
      return;
    }
    setSubmitting(true);
    try {
      const { isSignedIn, nextStep } = await signIn({
        username: data.email,
        password: data.password,
        options: { authFlowType: cognito.authFlowType },
      });
      if (isSignedIn) {
        // The page redirects to `next` as soon as the session says signed in.
        await session.refresh();
        return;
      }
      if (nextStep.signInStep === 'CONFIRM_SIGN_UP') {
        await navigate(confirmPath(data.email, next));
        return;
      }
      if (nextStep.signInStep === 'RESET_PASSWORD') {
        await navigate(FORGOT_PASSWORD_PATH);
        return;
      }
      setFormError(unsupportedStepMessage(nextStep.signInStep));
    } catch (error) {
      if (error instanceof Error && error.name === 'UserNotConfirmedException') {
        await navigate(confirmPath(data.email, next));
        return;
      }
      setFormError(signInErrorMessage(error));
      inputs.current.password?.focus();
      inputs.current.password?.select();
    }
    setSubmitting(false);
  };

  const errorId = `${formId}-error`;
  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void onSubmit(event)}
      aria-describedby={formError ? errorId : undefined}
    >
      {formError ? (
        <div id={errorId} className="alert alert--error" role="alert" data-testid="sign-in-error">
          {formError}
        </div>
      ) : handoff.notice ? (
        <div className="alert alert--success" role="status" data-testid="sign-in-notice">
          {handoff.notice}
        </div>
      ) : null}
      <Field id="email" label="Email" error={fieldErrors.email}>
        {(control) => (
          <input
            {...control}
            ref={(el) => {
              inputs.current.email = el;
            }}
            className="input"
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus={!handoff.email}
            value={values.email}
            onChange={onChange('email')}
            readOnly={submitting}
          />
        )}
      </Field>
      <Field id="password" label="Password" error={fieldErrors.password}>
        {(control) => (
          <input
            {...control}
            ref={(el) => {
              inputs.current.password = el;
            }}
            className="input"
            type="password"
            autoComplete="current-password"
            autoFocus={Boolean(handoff.email)}
            value={values.password}
            onChange={onChange('password')}
            readOnly={submitting}
          />
        )}
      </Field>
      <p className="form__aside">
        <Link to={FORGOT_PASSWORD_PATH}>Forgot password?</Link>
      </p>
      <Button type="submit" variant="primary" block loading={submitting} loadingLabel="Signing in…">
        Sign in
      </Button>
    </form>
  );
}
