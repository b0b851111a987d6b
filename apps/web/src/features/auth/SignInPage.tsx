import { signIn } from 'aws-amplify/auth';
import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { PageSpinner } from '../../components/Spinner';
import { usePublicConfig } from '../../lib/config';
import { safeNextPath } from './redirect';
import { useSession } from './session';
import { signInErrorMessage, unsupportedStepMessage } from './sign-in-errors';
import { validateSignIn, type SignInField, type SignInFieldErrors } from './validate-sign-in';

const FIELD_ORDER: readonly SignInField[] = ['email', 'password'];

export function SignInPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));

  if (session.status === 'signedIn') return <Navigate to={next} replace />;
  if (session.status === 'loading') return <PageSpinner label="Checking your session…" />;

  return (
    <main className="auth-layout">
      <title>Sign in · Tenantry</title>
      <div className="auth-panel">
        <div className="brand brand--large">
          <img className="brand__mark" src="/favicon.svg" alt="" width={32} height={32} />
          <span className="brand__name">Tenantry</span>
        </div>
        <div className="card auth-card">
          <h1 className="auth-card__title">Sign in</h1>
          <p className="auth-card__subtitle">
            {next === '/'
              ? 'Use your work email to reach the admin console.'
              : 'Sign in to continue where you left off.'}
          </p>
          <SignInForm />
        </div>
      </div>
    </main>
  );
}

function SignInForm() {
  const { cognito } = usePublicConfig();
  const session = useSession();
  const formId = useId();
  const [values, setValues] = useState<Record<SignInField, string>>({ email: '', password: '' });
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
      setFormError(unsupportedStepMessage(nextStep.signInStep));
    } catch (error) {
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
            autoFocus
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
            value={values.password}
            onChange={onChange('password')}
            readOnly={submitting}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" block loading={submitting} loadingLabel="Signing in…">
        Sign in
      </Button>
    </form>
  );
}
