import { useState, type FormEvent } from 'react';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Field } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { appCodeOf, fieldErrorsOf, trpc } from '../../lib/trpc';
import { UpgradeHint } from './UpgradeHint';
import { useFeature } from './useFeature';

/**
 * The organisation's own domain (app.example.com). Setting one needs the `custom_domain` feature: without
 * it the field is disabled and says which plans have it. Only roles that may update the organisation edit it.
 */
export function CustomDomainCard({ canEdit }: { canEdit: boolean }) {
  const current = trpc.tenants.current.useQuery();
  const feature = useFeature('custom_domain');
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <Card title="Custom domain" description="Serve the organisation under a domain of your own.">
      {current.isPending ? (
        <Spinner label="Loading the domain…" showLabel />
      ) : current.isError ? (
        <p className="text-danger">{describeError(current.error)}</p>
      ) : (
        <>
          <DomainForm
            // A saved domain starts the form again from the organisation's answer.
            key={current.data.domain ?? ''}
            domain={current.data.domain}
            enabled={feature.enabled}
            canEdit={canEdit}
            onSaved={(domain) => setSaved(domain ? `Saved: ${domain}.` : 'The custom domain was removed.')}
          />
          {saved ? (
            <p className="alert alert--success" role="status">
              {saved}
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}

function DomainForm({
  domain,
  enabled,
  canEdit,
  onSaved,
}: {
  domain: string | null;
  enabled: boolean;
  canEdit: boolean;
  onSaved: (domain: string | null) => void;
}) {
  const [value, setValue] = useState(domain ?? '');
  const utils = trpc.useUtils();
  const update = trpc.tenants.update.useMutation({
    onSuccess: (tenant) => {
      onSaved(tenant.domain);
      void utils.tenants.invalidate();
    },
  });
  const refusedByPlan = update.isError && appCodeOf(update.error) === 'FEATURE_DISABLED';
  const error =
    update.isError && !refusedByPlan ? (fieldErrorsOf(update.error).domain ?? describeError(update.error)) : undefined;
  const trimmed = value.trim().toLowerCase();
  const save = (next: string | null) => update.mutate({ domain: next });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (enabled && canEdit) save(trimmed === '' ? null : trimmed);
  };
  return (
    <form className="form custom-domain" noValidate onSubmit={submit} aria-label="Custom domain">
      <Field
        id="tenant-domain"
        label="Domain"
        error={error}
        hint={
          !canEdit
            ? 'Only owners and admins set it.'
            : enabled
              ? 'Point a CNAME record at the platform first; leave empty to remove it.'
              : undefined
        }
      >
        {(control) => (
          <input
            {...control}
            className="input"
            type="text"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="app.example.com"
            value={value}
            disabled={!enabled || !canEdit}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
      </Field>
      {!enabled || refusedByPlan ? <UpgradeHint feature="custom_domain" what="A custom domain" /> : null}
      {canEdit && (enabled || domain) ? (
        <div className="form__actions">
          {enabled ? (
            <Button
              size="sm"
              variant="primary"
              type="submit"
              disabled={trimmed === (domain ?? '')}
              loading={update.isPending}
              loadingLabel="Saving…"
            >
              Save domain
            </Button>
          ) : (
            // A domain set under an earlier plan can still be removed.
            <Button size="sm" onClick={() => save(null)} loading={update.isPending} loadingLabel="Removing…">
              Remove domain
            </Button>
          )}
        </div>
      ) : null}
    </form>
  );
}
