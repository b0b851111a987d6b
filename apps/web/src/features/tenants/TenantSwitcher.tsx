import type { MyTenant } from '@tenantry/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { BrandMark } from '../settings/BrandMark';
import { useBranding } from '../settings/useBranding';
import { trpc } from '../../lib/trpc';
import { ROLE_LABELS, seatsLabel } from './tenant-format';
import { TenantStatusBadge } from './TenantStatusBadge';
import { useTenantContext } from './tenant-context';
import { useSwitchTenant } from './useActiveTenant';

export const CREATE_ORGANISATION_PATH = '/organisations/new';

function TenantSummary({ tenant }: { tenant: MyTenant }) {
  return (
    <span className="switcher__meta">
      {ROLE_LABELS[tenant.role]} · {seatsLabel(tenant.memberCount, tenant.maxUsers)}
    </span>
  );
}

/** The header's organisation menu: the current organisation, the others to switch to, and "Create organisation". */
export function TenantSwitcher() {
  const { memberTenantId, explicit } = useTenantContext();
  const mine = trpc.tenants.mine.useQuery();
  const switcher = useSwitchTenant();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const active = mine.data?.find((t) => t.id === memberTenantId) ?? null;
  // The organisation on screen (its own or, for a superadmin, the one viewed) as it chose to appear.
  const branding = useBranding();

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const choose = (tenant: MyTenant) => {
    // Picking one's own organisation also leaves a superadmin view.
    if (tenant.id === memberTenantId && !explicit) {
      setOpen(false);
      return;
    }
    switcher.mutate({ id: tenant.id }, { onSuccess: () => setOpen(false) });
  };

  return (
    <div className="switcher" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={branding ? 'switcher__button switcher__button--branded' : 'switcher__button'}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        data-testid="tenant-switcher"
      >
        {branding ? (
          <span className="switcher__mark">
            <BrandMark
              displayName={branding.displayName}
              colour={branding.colour}
              logoUrl={branding.logo?.url ?? null}
            />
          </span>
        ) : null}
        <span className="switcher__label">Organisation</span>
        {explicit ? (
          <>
            <span className="switcher__name" data-testid="switcher-current">
              {explicit.name}
            </span>
            <span className="switcher__meta">Viewing as superadmin</span>
          </>
        ) : mine.isPending ? (
          <span className="switcher__name">Loading…</span>
        ) : active ? (
          <>
            <span
              className="switcher__name"
              data-testid="switcher-current"
              title={branding && branding.displayName !== active.name ? active.name : undefined}
            >
              {branding?.displayName ?? active.name}
            </span>
            <TenantSummary tenant={active} />
          </>
        ) : (
          <span className="switcher__name">Choose an organisation</span>
        )}
        <span className="switcher__chevron" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div id={panelId} className="switcher__panel" role="region" aria-label="Your organisations">
          {mine.isPending ? (
            <Spinner label="Loading your organisations…" showLabel />
          ) : mine.isError ? (
            <p className="text-danger">{describeError(mine.error)}</p>
          ) : mine.data.length === 0 ? (
            <p className="muted">You are not in any organisation yet.</p>
          ) : (
            <ul className="switcher__list">
              {mine.data.map((tenant) => (
                <li key={tenant.id}>
                  <button
                    type="button"
                    className="switcher__option"
                    aria-current={tenant.id === memberTenantId && !explicit ? 'true' : undefined}
                    disabled={switcher.isPending}
                    onClick={() => choose(tenant)}
                  >
                    <span className="switcher__option-name">
                      {tenant.name}
                      {tenant.id === memberTenantId ? <span className="visually-hidden"> (current)</span> : null}
                    </span>
                    <TenantSummary tenant={tenant} />
                    {tenant.status !== 'ready' ? <TenantStatusBadge status={tenant.status} /> : null}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {switcher.isError ? (
            <p className="text-danger" role="alert">
              Could not switch: {describeError(switcher.error)}
            </p>
          ) : null}
          <Link className="switcher__create" to={CREATE_ORGANISATION_PATH} onClick={() => setOpen(false)}>
            + Create organisation
          </Link>
        </div>
      ) : null}
    </div>
  );
}
