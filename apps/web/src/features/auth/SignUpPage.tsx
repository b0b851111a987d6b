import { SignUpInput } from '@tenantry/shared';
import { EmailField } from './EmailField';
import { signUp } from 'aws-amplify/auth';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { signUpError } from './auth-errors';
import { confirmPath, withNext, type SignInHandoff } from './auth-paths';
import { AuthLayout, FormAlert } from './AuthLayout';
import { validateForm } from './form-validation';
import { NewPasswordField } from './PasswordChecklist';
import { safeNextPath, SIGN_IN_PATH } from './redirect';
import { useAuthForm } from './useAuthForm';

type SignUpField = keyof SignUpInput;
const FIELDS: readonly SignUpField[] = ['name', 'email', 'password'];

const validate = (values: Record<SignUpField, string>) => validateForm(SignUpInput, values, FIELDS, ['password']);

export function SignUpPage() {
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Start with your name and work email. We will email you a code to confirm it."
      footer={
        <>
          Already have an account? <Link to={withNext(SIGN_IN_PATH, next)}>Sign in</Link>
        </>
      }
    >
      <SignUpForm next={next} />
    </AuthLayout>
  );
}

function SignUpForm({ next }: { next: string }) {
  const navigate = useNavigate();
  const form = useAuthForm({ initial: { name: '', email: '', password: '' }, fields: FIELDS, validate });

  const onSubmit = form.handleSubmit(async ({ name, email, password }) => {
    const { nextStep } = await signUp({
      username: email,
      password,
      options: { userAttributes: { email, name } },
    });
    if (nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
      await navigate(confirmPath(email, next));
      return;
    }
    // A pool that confirms accounts by itself: the account is ready.
    const handoff: SignInHandoff = { notice: 'Your account is ready. Sign in.', email };
    await navigate(withNext(SIGN_IN_PATH, next), { state: handoff });
  }, signUpError);

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit}
      aria-describedby={form.formError ? 'sign-up-error' : undefined}
    >
      {form.formError ? (
        <FormAlert id="sign-up-error" tone="error">
          {form.formError}
        </FormAlert>
      ) : null}
      <Field id="name" label="Name" error={form.errors.name}>
        {(control) => (
          <input {...control} {...form.input('name')} className="input" type="text" autoComplete="name" autoFocus />
        )}
      </Field>
      <EmailField input={form.input('email')} error={form.errors.email} label="Work email" />
      <NewPasswordField
        id="password"
        label="Password"
        error={form.errors.password}
        showUnmet={form.attempted}
        input={form.input('password')}
      />
      <Button type="submit" variant="primary" block loading={form.submitting} loadingLabel="Creating your account…">
        Create account
      </Button>
    </form>
  );
}
