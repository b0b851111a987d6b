import { can, type Feature } from '@tenantry/shared';
import { Link } from 'react-router';
import { trpc } from '../../lib/trpc';
import { PLAN_PATH, upgradeHintText } from './plan-format';
import { useFeature } from './useFeature';
import './plans.css';

/**
 * Says which plans include a feature the organisation lacks. Owners get a link to change the plan;
 * everyone else is told to ask one.
 */
export function UpgradeHint({ feature, what }: { feature: Feature; what: string }) {
  const { plans } = useFeature(feature);
  const current = trpc.tenants.current.useQuery();
  const owner = current.data ? can(current.data.role, 'plan.change') : false;
  return (
    <p className="upgrade-hint" role="note" data-testid={`upgrade-hint-${feature}`}>
      <span className="upgrade-hint__mark" aria-hidden="true">
        ★
      </span>
      <span>
        {upgradeHintText(what, plans)}
        {owner ? (
          <>
            {' — '}
            <Link to={PLAN_PATH}>Change plan</Link>
          </>
        ) : (
          <span className="muted"> — ask an owner to change the plan.</span>
        )}
      </span>
    </p>
  );
}
