import { slugFromName, type TenantStatusInfo } from '@tenantry/shared';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Field } from '../../components/Field';
import { describeError } from '../../lib/api-errors';
import { fieldErrorsOf, trpc } from '../../lib/trpc';
import { FormAlert } from '../auth/AuthLayout';
import { validateCreateTenant, type CreateTenantField } from './create-tenant-form';
import { progressPath } from './TenantStates';

/** What the progress page starts from, so it shows the steps before the stream's first message. */
export interface ProgressLocationState {
  name: string;
  initial: TenantStatusInfo;
}

export function CreateTenantPage() {
  return (
    <>
      <title>New organisation · Tenantry</title>
      <div className="page-header">
        <h1 className="page-title">Create an organisation</h1>
        <p className="page-subtitle">Your team&apos;s own space, with its own data. You will be its owner.</p>
      </div>
      <div className="narrow">
        <Card title="Organisation details" description="You can change both later in the settings.">
          <CreateTenantForm />
        </Card>
      </div>
    </>
  );
}

function CreateTenantForm() {
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const create = trpc.tenants.create.useMutation();
  const [values, setValues] = useState<Record<CreateTenantField, string>>({ name: '', slug: '' });
  const [errors, setErrors] = useState<Partial<Record<CreateTenantField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const derived = slugFromName(values.name);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const checked = validateCreateTenant(values);
    setErrors(checked.errors);
    if (!checked.data) return;
    create.mutate(checked.data, {
      onSuccess: (created) => {
        void utils.tenants.mine.invalidate();
        const state: ProgressLocationState = { name: checked.data.name, initial: created };
        void navigate(progressPath(created.id), { state });
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        const known = { name: fields.name, slug: fields.slug };
        setErrors(known);
        if (!known.name && !known.slug) setFormError(describeError(error));
      },
    });
  };

  const set = (field: CreateTenantField) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label="Create an organisation">
      {formError ? <FormAlert tone="error">{formError}</FormAlert> : null}
      <Field id="name" label="Name" error={errors.name} hint="As your members will see it, e.g. Saint Mary's Hospital.">
        {(control) => (
          <input
            {...control}
            className="input"
            value={values.name}
            onChange={set('name')}
            autoComplete="organization"
            autoFocus
          />
        )}
      </Field>
      <Field
        id="slug"
        label="Address (optional)"
        error={errors.slug}
        hint={
          values.slug.trim() || !derived
            ? 'Lower-case letters, digits and dashes; used in links and sub-domains.'
            : `Leave empty to use "${derived}" (or a free variant of it).`
        }
      >
        {(control) => (
          <input
            {...control}
            className="input mono"
            value={values.slug}
            onChange={set('slug')}
            placeholder={derived || 'my-organisation'}
            autoCapitalize="none"
            spellCheck={false}
          />
        )}
      </Field>
      <div className="form__actions">
        <Button type="submit" variant="primary" loading={create.isPending} loadingLabel="Creating…">
          Create organisation
        </Button>
      </div>
    </form>
  );
}
