import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import type { ProgressLocationState } from './CreateTenantPage';
import { provisionHeadline } from './provision-progress';
import { ProvisionSteps } from './ProvisionSteps';
import { TenantStatusBadge } from './TenantStatusBadge';
import { useSwitchTenant } from './useActiveTenant';
import { useTenantStatus } from './useTenantStatus';

/** How long the finished steps stay on screen before the new organisation opens. */
const READY_PAUSE_MS = 1200;

export function TenantProgressPage() {
  const { id = '' } = useParams();
  return <TenantProgress key={id} id={id} />;
}

function TenantProgress({ id }: { id: string }) {
  const location = useLocation();
  const navigate = useNavigate();
  const state = (location.state as ProgressLocationState | null) ?? null;
  const mine = trpc.tenants.mine.useQuery();
  const me = trpc.auth.me.useQuery();
  const followed = useTenantStatus(id, state?.initial.id === id ? state.initial : null);
  const switcher = useSwitchTenant();
  const retry = trpc.admin.tenants.retry.useMutation();
  const [opening, setOpening] = useState(false);
  const openedRef = useRef(false);
  const name = mine.data?.find((t) => t.id === id)?.name ?? state?.name ?? 'Your organisation';
  const status = followed.status;
  const isMember = mine.data?.some((t) => t.id === id) ?? false;

  const { mutateAsync: switchTo } = switcher;
  /** Switches to the new organisation and lands on its home (once). */
  const open = () => {
    if (openedRef.current) return;
    openedRef.current = true;
    setOpening(true);
    switchTo({ id })
      .then(() => navigate('/', { replace: true }))
      .catch(() => {
        // The error is shown from the mutation's state; the button lets the user try again.
        openedRef.current = false;
        setOpening(false);
      });
  };
  const openLater = useRef(open);
  useEffect(() => {
    openLater.current = open;
  });
  useEffect(() => {
    if (status?.status !== 'ready' || !isMember) return;
    const timer = window.setTimeout(() => openLater.current(), READY_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [status?.status, isMember]);

  const onRetry = () =>
    retry.mutate(
      { id },
      {
        onSuccess: (t) =>
          followed.resume({
            id: t.id,
            status: t.status,
            step: t.step,
            error: t.error,
            attempts: t.attempts,
            createdAt: t.createdAt,
            preparationStartedAt: t.preparationStartedAt,
            preparationCompletedAt: t.preparationCompletedAt,
            updatedAt: t.updatedAt,
          }),
      },
    );

  return (
    <>
      <title>{`Preparing ${name} · Tenantry`}</title>
      <div className="page-header">
        <h1 className="page-title">{name}</h1>
        <p className="page-subtitle">We prepare a separate database space for every organisation.</p>
      </div>
      <div className="narrow">
        <Card
          title="Preparation"
          description={followed.polling ? 'Checking every second.' : 'Updates appear as they happen.'}
          actions={status ? <TenantStatusBadge status={status.status} /> : null}
        >
          {!status ? (
            followed.error ? (
              <ErrorState title="The status could not be loaded" message={describeError(followed.error)} />
            ) : (
              <Spinner label="Connecting…" showLabel />
            )
          ) : (
            <div className="progress" aria-live="polite">
              <p className="progress__headline" data-testid="provision-status" data-status={status.status}>
                {provisionHeadline(status.status)}
                {status.status === 'ready' && isMember ? ` Opening ${name}…` : null}
              </p>
              <ProvisionSteps status={status.status} step={status.step} />
              {status.status === 'failed' ? (
                <div className="alert alert--error" role="alert" data-testid="provision-error">
                  {status.error ?? 'The preparation failed.'}
                  {status.attempts > 1 ? ` (after ${status.attempts} attempts)` : null}
                </div>
              ) : null}
              {status.status === 'failed' && !me.data?.isSuperadmin ? (
                <p className="muted">An operator has been told; they can retry it for you.</p>
              ) : null}
              {retry.isError ? <p className="text-danger">{describeError(retry.error)}</p> : null}
              {switcher.isError ? (
                <p className="text-danger" role="alert">
                  It is ready, but could not be opened: {describeError(switcher.error)}
                </p>
              ) : null}
              <div className="form__actions">
                {status.status === 'failed' && me.data?.isSuperadmin ? (
                  <Button variant="primary" onClick={onRetry} loading={retry.isPending} loadingLabel="Retrying…">
                    Retry
                  </Button>
                ) : null}
                {status.status === 'ready' && isMember ? (
                  <Button variant="primary" loading={opening} loadingLabel="Opening…" onClick={open}>
                    Open now
                  </Button>
                ) : null}
                <Link className="btn btn--ghost btn--md" to="/">
                  Back to the overview
                </Link>
              </div>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
