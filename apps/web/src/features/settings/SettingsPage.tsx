import {
  can,
  isLogoFile,
  LOGO_MAX_BYTES,
  type ConfigSettings,
  type Role,
  type SecretSummary,
  type TenantConfig,
} from '@tenantry/shared';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Field } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDateTime } from '../../lib/time';
import { fieldErrorsOf, trpc } from '../../lib/trpc';
import { FormAlert } from '../auth/AuthLayout';
import { formatBytes } from '../files/file-format';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { DeleteTenantCard } from '../tenants/DeleteTenantCard';
import { RequireTenant } from '../tenants/TenantStates';
import {
  brandingValues,
  localeLabel,
  localeOptions,
  regionChanges,
  timeZoneOptions,
  validateBranding,
  validateSecret,
  type BrandingField,
  type BrandingValues,
  type SecretField,
} from './settings-form';
import { BrandMark } from './BrandMark';
import { useBranding } from './useBranding';
import './settings.css';

export function SettingsPage() {
  return (
    <>
      <title>Settings · Tenantry</title>
      <RequireTenant>
        {(tenant) => (
          <>
            <Settings tenantName={tenant.name} role={tenant.role} viaSuperadmin={tenant.viaSuperadmin} />
            <DeleteTenantCard />
          </>
        )}
      </RequireTenant>
    </>
  );
}

function Settings({ tenantName, role, viaSuperadmin }: { tenantName: string; role: Role; viaSuperadmin: boolean }) {
  const config = trpc.config.get.useQuery();
  const canEdit = can(role, 'settings.update');
  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Settings</h1>
        <p className="page-subtitle">
          How {tenantName} looks and where it works, and the secrets of its integrations.{' '}
          {viaSuperadmin
            ? 'You act with owner rights, as superadmin.'
            : `You are ${ROLE_LABELS[role].toLowerCase()}${canEdit ? '.' : ': you can see the settings, not change them.'}`}
        </p>
      </div>
      {config.isPending ? (
        <Spinner label="Loading the settings…" showLabel />
      ) : config.isError ? (
        <ErrorState
          title="The settings could not be loaded"
          message={describeError(config.error)}
          onRetry={() => void config.refetch()}
          retrying={config.isFetching}
        />
      ) : (
        <div className="stack">
          <BrandingCard branding={config.data.settings.branding} canEdit={canEdit} />
          <RegionCard settings={config.data.settings} canEdit={canEdit} />
          {config.data.secrets && can(role, 'secrets.manage') ? <SecretsCard secrets={config.data.secrets} /> : null}
        </div>
      )}
    </>
  );
}

/** `config.set` that puts the answer (the whole configuration) straight into the cache. */
function useSetConfig() {
  const utils = trpc.useUtils();
  return trpc.config.set.useMutation({
    onSuccess: (config: TenantConfig) => {
      utils.config.get.setData(undefined, config);
      // The header's mark and name follow at once.
      void utils.config.branding.invalidate();
    },
  });
}

function BrandingCard({ branding, canEdit }: { branding: ConfigSettings['branding']; canEdit: boolean }) {
  const set = useSetConfig();
  const [values, setValues] = useState<BrandingValues>(() => brandingValues(branding));
  const [errors, setErrors] = useState<Partial<Record<BrandingField, string>>>({});
  const [saved, setSaved] = useState(false);
  const change = (field: BrandingField, value: string) => {
    setSaved(false);
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = validateBranding(values);
    setErrors(checked.errors);
    if (!checked.data) return;
    set.mutate(
      { key: 'branding', value: checked.data },
      {
        onSuccess: (config) => {
          setValues(brandingValues(config.settings.branding));
          setSaved(true);
        },
      },
    );
  };
  const serverFields = set.isError ? fieldErrorsOf(set.error) : {};

  // The logo is chosen among the organisation's images small enough for a header.
  const images = trpc.files.list.useQuery({ type: 'image/', sort: 'newest', limit: 100 });
  const logoChoices = (images.data?.items ?? []).filter(isLogoFile);
  const chosenIsGone =
    values.logoFileId !== '' && images.isSuccess && !logoChoices.some((f) => f.id === values.logoFileId);
  const savedLogo = useBranding()?.logo ?? null;
  const otherChoice = values.logoFileId !== '' && values.logoFileId !== savedLogo?.fileId && !chosenIsGone;
  // The preview of a logo not saved yet uses the file's own (short-lived) download link.
  const chosenUrl = trpc.files.getDownloadUrl.useQuery({ id: values.logoFileId }, { enabled: otherChoice });
  const logoUrl =
    values.logoFileId === '' || chosenIsGone
      ? null
      : values.logoFileId === savedLogo?.fileId
        ? savedLogo.url
        : (chosenUrl.data?.url ?? null);

  return (
    <Card title="Branding" description="The name, colour and logo people of this organisation see in the header.">
      <form className="form" noValidate onSubmit={submit} aria-label="Branding">
        {set.isError ? <FormAlert tone="error">{serverFields.value ?? describeError(set.error)}</FormAlert> : null}
        {saved ? (
          <FormAlert tone="success">
            <span data-testid="branding-saved">Branding saved.</span>
          </FormAlert>
        ) : null}
        <div className="settings-preview" aria-hidden="true" data-testid="branding-preview">
          <BrandMark
            displayName={values.displayName || '?'}
            colour={/^#[0-9a-fA-F]{6}$/.test(values.colour) ? values.colour : '#000000'}
            logoUrl={logoUrl}
            size={32}
          />
          <span className="settings-preview__name">{values.displayName || '—'}</span>
        </div>
        <Field id="branding-name" label="Display name" error={errors.displayName}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={values.displayName}
              maxLength={100}
              disabled={!canEdit}
              onChange={(e) => change('displayName', e.target.value)}
            />
          )}
        </Field>
        <Field id="branding-colour" label="Colour" error={errors.colour} hint="Six hex digits, e.g. #1f3a8a.">
          {(control) => (
            <div className="settings-colour">
              <input
                type="color"
                className="settings-colour__picker"
                aria-label="Pick a colour"
                value={/^#[0-9a-fA-F]{6}$/.test(values.colour) ? values.colour : '#000000'}
                disabled={!canEdit}
                onChange={(e) => change('colour', e.target.value)}
              />
              <input
                {...control}
                className="input mono"
                value={values.colour}
                disabled={!canEdit}
                onChange={(e) => change('colour', e.target.value)}
              />
            </div>
          )}
        </Field>
        <Field
          id="branding-logo"
          label="Logo"
          error={errors.logoFileId ?? serverFields.logoFileId}
          hint={
            <>
              A PNG, JPEG, WebP or GIF image of at most {formatBytes(LOGO_MAX_BYTES)}, among the organisation’s{' '}
              <Link to="/files">files</Link>.
            </>
          }
        >
          {(control) => (
            <select
              {...control}
              className="input"
              value={values.logoFileId}
              disabled={!canEdit || images.isPending}
              onChange={(e) => change('logoFileId', e.target.value)}
            >
              <option value="">No logo</option>
              {logoChoices.map((file) => (
                <option key={file.id} value={file.id}>
                  {file.name} · {formatBytes(file.size)}
                </option>
              ))}
              {chosenIsGone ? <option value={values.logoFileId}>A file that is no longer there</option> : null}
            </select>
          )}
        </Field>
        {images.isError ? (
          <p className="text-danger">The images could not be listed: {describeError(images.error)}</p>
        ) : null}
        {canEdit ? (
          <div className="form__actions">
            <Button type="submit" variant="primary" loading={set.isPending} loadingLabel="Saving…">
              Save branding
            </Button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function RegionCard({ settings, canEdit }: { settings: ConfigSettings; canEdit: boolean }) {
  const set = useSetConfig();
  const [values, setValues] = useState({ locale: settings.locale, timezone: settings.timezone });
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setFailure(null);
    setSaving(true);
    try {
      for (const change of regionChanges(settings, values)) await set.mutateAsync(change);
      setSaved(true);
    } catch (error) {
      setFailure(fieldErrorsOf(error).value ?? describeError(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="Region" description="The language and time zone for dates, numbers and e-mails.">
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-label="Region">
        {failure ? <FormAlert tone="error">{failure}</FormAlert> : null}
        {saved ? (
          <FormAlert tone="success">
            <span data-testid="region-saved">Region saved.</span>
          </FormAlert>
        ) : null}
        <div className="settings-grid">
          <Field id="settings-locale" label="Locale">
            {(control) => (
              <select
                {...control}
                className="input"
                value={values.locale}
                disabled={!canEdit}
                onChange={(e) => {
                  setSaved(false);
                  setValues((v) => ({ ...v, locale: e.target.value }));
                }}
              >
                {localeOptions(values.locale).map((tag) => (
                  <option key={tag} value={tag}>
                    {localeLabel(tag)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="settings-timezone" label="Time zone">
            {(control) => (
              <select
                {...control}
                className="input"
                value={values.timezone}
                disabled={!canEdit}
                onChange={(e) => {
                  setSaved(false);
                  setValues((v) => ({ ...v, timezone: e.target.value }));
                }}
              >
                {timeZoneOptions(values.timezone).map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {canEdit ? (
          <div className="form__actions">
            <Button
              type="submit"
              variant="primary"
              loading={saving}
              loadingLabel="Saving…"
              disabled={regionChanges(settings, values).length === 0}
            >
              Save region
            </Button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function SecretsCard({ secrets }: { secrets: SecretSummary[] }) {
  // null: closed; '': a new secret; a name: replacing that secret.
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  return (
    <Card
      title="Secrets"
      description="Keys and signing secrets of integrations. They are stored encrypted and can be replaced, never read back."
      actions={
        <Button variant="primary" size="sm" onClick={() => setEditing('')}>
          Add secret
        </Button>
      }
    >
      {secrets.length === 0 ? (
        <div data-testid="secrets-empty">
          <EmptyState title="No secrets yet" message="Add one for a webhook or a third-party API." />
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="secrets-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {secrets.map((secret) => (
                <tr key={secret.name} data-testid="secret-row" data-name={secret.name}>
                  <td className="table__strong mono">{secret.name}</td>
                  <td className="mono" data-testid="secret-masked">
                    {secret.masked}{' '}
                    {secret.readable ? null : (
                      <span title="It cannot be decrypted with the configured master keys: replace it">
                        <Badge tone="danger">unreadable</Badge>
                      </span>
                    )}
                  </td>
                  <td className="table__nowrap">
                    <time dateTime={secret.updatedAt}>{formatDateTime(new Date(secret.updatedAt))}</time>
                  </td>
                  <td className="table__actions">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setEditing(secret.name)}
                      aria-label={`Replace ${secret.name}`}
                    >
                      Replace
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setDeleting(secret.name)}
                      aria-label={`Delete ${secret.name}`}
                    >
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SecretDialog replacing={editing || null} open={editing !== null} onClose={() => setEditing(null)} />
      <DeleteSecretDialog name={deleting} onClose={() => setDeleting(null)} />
    </Card>
  );
}

const SECRET_FORM_ID = 'secret-form';

/** Adds a secret, or replaces the value of `replacing`; the value is sent once and never shown again. */
function SecretDialog({ open, replacing, onClose }: { open: boolean; replacing: string | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const setSecret = trpc.config.setSecret.useMutation({ onSuccess: () => utils.config.get.invalidate() });
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Partial<Record<SecretField, string>>>({});
  const serverFields = setSecret.isError ? fieldErrorsOf(setSecret.error) : {};
  const shown = { name: errors.name ?? serverFields.name, value: errors.value ?? serverFields.value };

  const close = () => {
    setSecret.reset();
    setName('');
    setValue('');
    setErrors({});
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSecret.reset();
    const checked = validateSecret({ name: replacing ?? name.trim(), value });
    setErrors(checked.errors);
    if (checked.data) setSecret.mutate(checked.data, { onSuccess: close });
  };

  return (
    <Dialog
      open={open}
      title={replacing ? `Replace ${replacing}` : 'Add a secret'}
      onClose={close}
      actions={
        <>
          <Button size="sm" variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button
            size="sm"
            variant="primary"
            type="submit"
            form={SECRET_FORM_ID}
            loading={setSecret.isPending}
            loadingLabel="Saving…"
          >
            {replacing ? 'Replace secret' : 'Add secret'}
          </Button>
        </>
      }
    >
      <form id={SECRET_FORM_ID} className="form" noValidate onSubmit={submit} aria-label="Secret">
        <p className="muted">
          The value is encrypted before it is stored. Nobody can read it back here; only the integrations that use it
          can.
        </p>
        {replacing ? null : (
          <Field
            id="secret-name"
            label="Name"
            error={shown.name}
            hint="Lower-case letters, digits, _ . - ; for example webhook.signing"
          >
            {(control) => (
              <input
                {...control}
                className="input mono"
                autoComplete="off"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
        )}
        <Field id="secret-value" label={replacing ? 'New value' : 'Value'} error={shown.value}>
          {(control) => (
            <input
              {...control}
              className="input mono"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        {setSecret.isError && !shown.name && !shown.value ? (
          <p className="text-danger" role="alert">
            {describeError(setSecret.error)}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}

function DeleteSecretDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const remove = trpc.config.deleteSecret.useMutation({ onSettled: () => utils.config.get.invalidate() });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={name !== null}
      title="Delete this secret?"
      onClose={close}
      confirmLabel="Delete secret"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onConfirm={() => name && remove.mutate({ name }, { onSuccess: close })}
    >
      <p>
        Integrations that use <strong className="mono">{name}</strong> stop working until it is added again. Its value
        cannot be recovered.
      </p>
      {remove.isError ? (
        <p className="text-danger" role="alert">
          {describeError(remove.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
