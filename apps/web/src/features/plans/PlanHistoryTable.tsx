import { PLANS, type PlanChangeEntry } from '@tenantry/shared';
import { Badge } from '../../components/Badge';
import { formatDateTime } from '../../lib/time';
import { overridesSummary } from './plan-format';

/** The rows of a plan history; the superadmin console shows the same table. */
export function PlanHistoryTable({ history }: { history: PlanChangeEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="plan-history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Change</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {history.map((entry) => (
            <tr key={entry.id} data-testid="plan-history-row">
              <td className="table__nowrap">
                <time dateTime={entry.changedAt}>{formatDateTime(new Date(entry.changedAt))}</time>
              </td>
              <td>
                {entry.fromPlan ? `${PLANS[entry.fromPlan].name} → ` : 'Started on '}
                <strong>{PLANS[entry.toPlan].name}</strong>
                {entry.overrides ? <div className="muted">{overridesSummary(entry.overrides)}</div> : null}
              </td>
              <td>
                {entry.changedByEmail ?? <span className="muted">—</span>}
                {entry.bySuperadmin ? (
                  <>
                    {' '}
                    <Badge tone="accent">superadmin</Badge>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
