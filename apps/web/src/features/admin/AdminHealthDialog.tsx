import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { HealthDetails } from '../tenants/HealthDetails';

/** The console's health view of one tenant (`admin.tenants.health`). */
export function AdminHealthDialog({
  tenant,
  onClose,
}: {
  tenant: { id: string; name: string } | null;
  onClose: () => void;
}) {
  const health = trpc.admin.tenants.health.useQuery({ id: tenant?.id ?? '' }, { enabled: Boolean(tenant) });
  return (
    <Dialog
      open={Boolean(tenant)}
      title={tenant ? `Health of ${tenant.name}` : 'Health'}
      onClose={onClose}
      actions={
        <>
          <Button onClick={() => void health.refetch()} loading={health.isFetching && !health.isPending}>
            Check again
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {health.isPending ? (
        <Spinner label="Checking…" showLabel />
      ) : health.isError ? (
        <ErrorState
          title="Health could not be checked"
          message={describeError(health.error)}
          onRetry={() => void health.refetch()}
          retrying={health.isFetching}
        />
      ) : (
        <HealthDetails health={health.data} />
      )}
    </Dialog>
  );
}
