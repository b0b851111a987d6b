import { useQueryClient } from '@tanstack/react-query';
import { can } from '@tenantry/shared';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { describeError } from '../../lib/api-errors';
import { fieldErrorsOf, trpc } from '../../lib/trpc';
import { tenantContext } from './tenant-context';
import { changeTenantContext } from './tenant-queries';
import './delete-tenant.css';

/** True when what was typed confirms deleting the organisation with this address. */
export const confirmsSlug = (typed: string, slug: string): boolean => typed.trim().toLowerCase() === slug;

/** The owner's danger zone for the active organisation; nothing for anyone else (a superadmin's view included). */
export function DeleteTenantCard() {
  const current = trpc.tenants.current.useQuery();
  const tenant = current.data;
  if (!tenant || tenant.viaSuperadmin || !can(tenant.role, 'tenant.delete')) return null;
  return <DeleteTenant tenant={tenant} />;
}

/**
 * The owner's danger zone: deleting the organisation, confirmed by typing its address. It is gone for every
 * member at once; afterwards the app moves to another of the user's organisations, or to none.
 */
function DeleteTenant({ tenant }: { tenant: { id: string; name: string; slug: string } }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  const switchTenant = trpc.tenants.switch.useMutation();
  const remove = trpc.tenants.delete.useMutation({
    onSuccess: async () => {
      setOpen(false);
      // The deletion cleared the current-organisation pointer: move to another one, if the user has one.
      const mine = await utils.tenants.mine.fetch().catch(() => []);
      const next = mine.find((t) => t.id !== tenant.id && t.status === 'ready');
      if (next) await switchTenant.mutateAsync({ id: next.id }).catch(() => undefined);
      changeTenantContext(queryClient, () => tenantContext.setMemberTenant(next?.id ?? null));
      void navigate('/');
    },
  });
  const confirmed = confirmsSlug(typed, tenant.slug);
  const close = () => {
    setOpen(false);
    setTyped('');
    remove.reset();
  };

  return (
    <Card
      title="Delete organisation"
      description="Deleting removes the organisation for every member at once. Its data, files and memberships are removed for good after a grace period, during which support can still restore it."
      className="card--danger"
    >
      <Button variant="danger" onClick={() => setOpen(true)} data-testid="delete-tenant">
        Delete {tenant.name}…
      </Button>
      <Dialog
        open={open}
        title={`Delete ${tenant.name}?`}
        onClose={close}
        actions={
          <>
            <Button size="sm" variant="ghost" onClick={close}>
              Cancel
            </Button>
            <Button
              size="sm"
              variant="danger"
              disabled={!confirmed}
              loading={remove.isPending}
              loadingLabel="Deleting…"
              onClick={() => remove.mutate({ confirmSlug: typed.trim() })}
              data-testid="confirm-delete-tenant"
            >
              Delete organisation
            </Button>
          </>
        }
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed && !remove.isPending) remove.mutate({ confirmSlug: typed.trim() });
          }}
        >
          <p>
            Every member loses access to <strong>{tenant.name}</strong> now. To confirm, type its address{' '}
            <code className="mono">{tenant.slug}</code>.
          </p>
          <Field id="delete-tenant-slug" label="Address" error={fieldErrorsOf(remove.error).confirmSlug}>
            {(control) => (
              <input
                {...control}
                className="input"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
              />
            )}
          </Field>
          {remove.error && !fieldErrorsOf(remove.error).confirmSlug ? (
            <p className="text-danger" role="alert">
              {describeError(remove.error)}
            </p>
          ) : null}
        </form>
      </Dialog>
    </Card>
  );
}
