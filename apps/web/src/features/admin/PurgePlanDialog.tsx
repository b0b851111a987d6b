import type { PurgePlanItem } from '@tenantry/shared';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorState, EmptyState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDateTime } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { formatBytes } from '../usage/usage-format';

/** Rows across every table of the tenant's schema. */
export const totalRows = (tables: Record<string, number>): number =>
  Object.values(tables).reduce((sum, n) => sum + n, 0);

/** What the next purge would remove (a dry run), and the button that runs it now. */
export function PurgePlanDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const utils = trpc.useUtils();
  const plan = trpc.admin.tenants.purgePlan.useQuery(undefined, { enabled: open, staleTime: 0 });
  const purge = trpc.admin.tenants.purge.useMutation({
    onSettled: () => utils.admin.tenants.invalidate(),
  });
  const close = () => {
    purge.reset();
    onClose();
  };
  const items = plan.data?.items ?? [];

  return (
    <Dialog
      open={open}
      title="Purge plan"
      onClose={close}
      actions={
        <>
          <Button size="sm" variant="ghost" onClick={close}>
            Close
          </Button>
          <Button
            size="sm"
            variant="danger"
            disabled={!items.length}
            loading={purge.isPending}
            loadingLabel="Purging…"
            onClick={() => purge.mutate()}
            data-testid="purge-now"
          >
            Purge now
          </Button>
        </>
      }
    >
      <p className="muted">
        Organisations whose grace period is over. A purge removes their schema, files, memberships and invitations for
        good and keeps only the record; one run takes at most {plan.data?.max ?? '…'}.
      </p>
      {purge.data ? (
        <p className="alert alert--success" role="status">
          Purged {purge.data.purged.length} organisation{purge.data.purged.length === 1 ? '' : 's'}
          {purge.data.remaining ? `; ${purge.data.remaining} still due` : ''}.
        </p>
      ) : null}
      {purge.error ? (
        <p className="text-danger" role="alert">
          {describeError(purge.error)}
        </p>
      ) : null}
      {plan.isPending ? (
        <Spinner label="Working out the plan…" showLabel />
      ) : plan.isError ? (
        <ErrorState
          title="The purge plan could not be worked out"
          message={describeError(plan.error)}
          onRetry={() => void plan.refetch()}
          retrying={plan.isFetching}
        />
      ) : !items.length ? (
        <EmptyState title="Nothing to purge" message="No deleted organisation is past its grace period." />
      ) : (
        <>
          <table className="table" data-testid="purge-plan">
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Due since</th>
                <th scope="col">Rows</th>
                <th scope="col">Files</th>
                <th scope="col">Members</th>
                <th scope="col">Invitations</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <PlanRow key={item.id} item={item} />
              ))}
            </tbody>
          </table>
          {plan.data.remaining ? (
            <p className="muted">{plan.data.remaining} more are due and wait for the next run.</p>
          ) : null}
        </>
      )}
    </Dialog>
  );
}

function PlanRow({ item }: { item: PurgePlanItem }) {
  return (
    <tr data-testid="purge-plan-row" data-tenant-id={item.id}>
      <td>
        <div className="table__strong">{item.name}</div>
        <code className="mono muted">{item.slug}</code>
      </td>
      <td>
        <time dateTime={item.purgeAfter}>{formatDateTime(new Date(item.purgeAfter))}</time>
      </td>
      <td
        title={Object.entries(item.would.tables)
          .map(([table, n]) => `${table}: ${n}`)
          .join('\n')}
      >
        {totalRows(item.would.tables)} in {Object.keys(item.would.tables).length} tables
      </td>
      <td>
        {item.would.objects} ({formatBytes(item.would.objectBytes)})
      </td>
      <td>{item.would.memberships}</td>
      <td>{item.would.invitations}</td>
    </tr>
  );
}
