import { describeError } from '../../lib/api-errors';
import { overageMessage, overagesOf } from './plan-format';

/** A refused change: what is over the new plan's limits and by how much, or the API's reason. */
export function PlanChangeError({
  error,
  planName,
  tenantName,
}: {
  error: unknown;
  planName: string;
  tenantName: string;
}) {
  const overages = overagesOf(error);
  return (
    <div className="alert alert--error" role="alert" data-testid="plan-refused">
      {overages.length ? (
        <>
          <p>
            {planName} is too small for what {tenantName} uses now:
          </p>
          <ul className="plan-overages">
            {overages.map((o) => (
              <li key={o.limit} data-testid="plan-overage">
                {overageMessage(o, planName)}.
              </li>
            ))}
          </ul>
        </>
      ) : (
        describeError(error)
      )}
    </div>
  );
}
