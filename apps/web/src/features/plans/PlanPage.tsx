import { can, type PlanChangeEntry, type PlanInfo, type PlanLimits, type TenantPlan } from '@tenantry/shared';
import { useState } from 'react';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { RequireTenant } from '../tenants/TenantStates';
import { CustomDomainCard } from './CustomDomainCard';
import { PlanChangeError } from './PlanChangeError';
import { PlanHistoryTable } from './PlanHistoryTable';
import { FEATURE_NAMES, FEATURES, featureChanges, limitLabel, planMove } from './plan-format';
import './plans.css';

export function PlanPage() {
  return (
    <>
      <title>Plan · Tenantry</title>
      <RequireTenant>
        {(tenant) => (
          <Plan
            tenantName={tenant.name}
            owner={can(tenant.role, 'plan.change')}
            canEditDomain={can(tenant.role, 'tenant.update')}
          />
        )}
      </RequireTenant>
    </>
  );
}

function Plan({ tenantName, owner, canEditDomain }: { tenantName: string; owner: boolean; canEditDomain: boolean }) {
  const plans = trpc.plans.list.useQuery();
  const plan = trpc.tenants.plan.useQuery();
  const [switched, setSwitched] = useState<string | null>(null);
  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Plan</h1>
        <p className="page-subtitle">
          What {tenantName} may use and which features it has.{' '}
          {owner ? 'Changes take effect at once.' : 'Only an owner can change the plan.'}
        </p>
      </div>
      <div className="stack">
        {switched ? (
          <p className="alert alert--success" role="status" data-testid="plan-switched">
            {tenantName} is now on {switched}.
          </p>
        ) : null}
        <Card title="Plans" description="Limits and features of each plan; yours is marked.">
          {plans.isPending || plan.isPending ? (
            <Spinner label="Loading the plans…" showLabel />
          ) : plans.isError || plan.isError ? (
            <ErrorState
              title="The plans could not be loaded"
              message={describeError(plans.error ?? plan.error)}
              onRetry={() => {
                void plans.refetch();
                void plan.refetch();
              }}
              retrying={plans.isFetching || plan.isFetching}
            />
          ) : (
            <PlanCatalogue
              plans={plans.data}
              current={plan.data.current}
              owner={owner}
              tenantName={tenantName}
              onSwitched={(name) => setSwitched(name)}
            />
          )}
        </Card>
        <CustomDomainCard canEdit={canEditDomain} />
        <Card title="Plan history" description="Every change of plan, newest first.">
          {plan.isPending ? (
            <Spinner label="Loading the history…" showLabel />
          ) : plan.isError ? (
            <ErrorState
              title="The history could not be loaded"
              message={describeError(plan.error)}
              onRetry={() => void plan.refetch()}
              retrying={plan.isFetching}
            />
          ) : (
            <PlanHistory history={plan.data.history} />
          )}
        </Card>
      </div>
    </>
  );
}

/** A custom plan's card shows the organisation's own limits, not the catalogue's defaults. */
function shownPlan(plan: PlanInfo, current: TenantPlan): PlanInfo {
  if (plan.id !== 'custom' || current.plan !== 'custom') return plan;
  return {
    ...plan,
    maxUsers: current.maxUsers,
    storageBytes: current.storageBytes,
    apiRequestsPerDay: current.apiRequestsPerDay,
    features: current.features,
  };
}

function PlanCatalogue({
  plans,
  current,
  owner,
  tenantName,
  onSwitched,
}: {
  plans: PlanInfo[];
  current: TenantPlan;
  owner: boolean;
  tenantName: string;
  onSwitched: (planName: string) => void;
}) {
  const [target, setTarget] = useState<PlanInfo | null>(null);
  // Custom is only listed for the organisation that has it: no one else can pick it here.
  const listed = plans.filter((p) => !p.superadminOnly || p.id === current.plan).map((p) => shownPlan(p, current));
  return (
    <>
      <ul className="plan-grid" data-testid="plan-cards">
        {listed.map((p) => (
          <PlanCard
            key={p.id}
            plan={p}
            current={current}
            onSwitch={owner && !p.superadminOnly ? () => setTarget(p) : null}
          />
        ))}
      </ul>
      <SwitchPlanDialog
        target={target}
        current={current}
        tenantName={tenantName}
        onClose={() => setTarget(null)}
        onSwitched={(name) => {
          setTarget(null);
          onSwitched(name);
        }}
      />
    </>
  );
}

const LIMITS: readonly (keyof PlanLimits)[] = ['maxUsers', 'storageBytes', 'apiRequestsPerDay'];

function PlanCard({ plan, current, onSwitch }: { plan: PlanInfo; current: TenantPlan; onSwitch: (() => void) | null }) {
  const move = planMove(current.plan, plan.id);
  const headingId = `plan-${plan.id}-name`;
  return (
    <li
      className={`plan-card${move === 'current' ? ' plan-card--current' : ''}`}
      aria-labelledby={headingId}
      data-testid="plan-card"
      data-plan={plan.id}
      data-current={move === 'current' || undefined}
    >
      <div className="plan-card__head">
        <h3 id={headingId} className="plan-card__name">
          {plan.name}
        </h3>
        {move === 'current' ? <Badge tone="accent">Current plan</Badge> : null}
      </div>
      <ul className="plan-card__limits">
        {LIMITS.map((limit) => (
          <li key={limit}>{limitLabel(limit, plan[limit])}</li>
        ))}
      </ul>
      <ul className="plan-card__features" aria-label={`Features of ${plan.name}`}>
        {FEATURES.map((feature) => {
          const included = plan.features.includes(feature);
          return (
            <li key={feature} className={included ? 'plan-feature' : 'plan-feature plan-feature--missing'}>
              <span className="plan-feature__mark" aria-hidden="true">
                {included ? '✓' : '–'}
              </span>
              <span>
                {FEATURE_NAMES[feature]}
                {included ? null : <span className="visually-hidden"> (not included)</span>}
              </span>
            </li>
          );
        })}
      </ul>
      <div className="plan-card__action">
        {move === 'current' ? null : plan.superadminOnly ? (
          <p className="muted">Arranged with the platform team.</p>
        ) : onSwitch ? (
          <Button size="sm" variant={move === 'upgrade' ? 'primary' : 'secondary'} onClick={onSwitch}>
            Switch to {plan.name}
          </Button>
        ) : null}
      </div>
    </li>
  );
}

function SwitchPlanDialog({
  target,
  current,
  tenantName,
  onClose,
  onSwitched,
}: {
  target: PlanInfo | null;
  current: TenantPlan;
  tenantName: string;
  onClose: () => void;
  onSwitched: (planName: string) => void;
}) {
  const utils = trpc.useUtils();
  const change = trpc.tenants.changePlan.useMutation({
    onSuccess: () => {
      // Limits and features gate screens everywhere: refresh what reads them.
      void utils.tenants.invalidate();
      void utils.plans.invalidate();
      void utils.usage.invalidate();
      void utils.audit.invalidate();
    },
  });
  const close = () => {
    change.reset();
    onClose();
  };
  return (
    <Dialog
      open={target !== null}
      title={target ? `Switch to ${target.name}?` : ''}
      onClose={close}
      actions={
        target ? (
          <>
            <Button size="sm" variant="ghost" onClick={close}>
              Cancel
            </Button>
            <Button
              size="sm"
              variant={planMove(current.plan, target.id) === 'downgrade' ? 'danger' : 'primary'}
              loading={change.isPending}
              loadingLabel="Switching…"
              onClick={() => {
                if (target.id === 'custom') return;
                change.mutate({ plan: target.id }, { onSuccess: (result) => onSwitched(result.name) });
              }}
            >
              Switch to {target.name}
            </Button>
          </>
        ) : null
      }
    >
      {target ? (
        <SwitchPlanSummary
          target={target}
          current={current}
          tenantName={tenantName}
          error={change.isError ? change.error : null}
        />
      ) : null}
    </Dialog>
  );
}

function SwitchPlanSummary({
  target,
  current,
  tenantName,
  error,
}: {
  target: PlanInfo;
  current: TenantPlan;
  tenantName: string;
  error: unknown;
}) {
  const { gained, lost } = featureChanges(current, target);
  return (
    <>
      <p>
        {tenantName} moves from {current.name} to {target.name} at once.
      </p>
      <ul className="plan-diff">
        {LIMITS.map((limit) => (
          <li key={limit}>
            {limitLabel(limit, current[limit])}
            <span aria-hidden="true"> → </span>
            <span className="visually-hidden"> becomes </span>
            <strong>{limitLabel(limit, target[limit])}</strong>
          </li>
        ))}
      </ul>
      {gained.length ? <p>Adds: {gained.map((f) => FEATURE_NAMES[f]).join(', ')}.</p> : null}
      {lost.length ? <p className="text-danger">Removes: {lost.map((f) => FEATURE_NAMES[f]).join(', ')}.</p> : null}
      {error ? <PlanChangeError error={error} planName={target.name} tenantName={tenantName} /> : null}
    </>
  );
}

function PlanHistory({ history }: { history: PlanChangeEntry[] }) {
  if (history.length === 0) {
    return (
      <div data-testid="plan-history-empty">
        <EmptyState title="No changes yet" message="The plan has not changed since the organisation was created." />
      </div>
    );
  }
  return <PlanHistoryTable history={history} />;
}
