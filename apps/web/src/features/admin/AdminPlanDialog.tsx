import { Feature, PLANS, PlanId, type AdminTenant, type TenantPlan } from '@tenantry/shared';
import { useState, type FormEvent } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Field } from '../../components/Field';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { FEATURE_NAMES } from '../plans/plan-format';
import { PlanChangeError } from '../plans/PlanChangeError';
import { PlanHistoryTable } from '../plans/PlanHistoryTable';
import { catalogueFeatures, planFormFrom, setPlanInput, type PlanForm, type PlanFormErrors } from './plan-form';
import './admin-console.css';

const FORM_ID = 'admin-plan-form';

/** A superadmin sets any plan for a tenant, and for custom its limits and features; the history is below. */
export function AdminPlanDialog({
  tenant,
  open,
  onClose,
}: {
  tenant: AdminTenant;
  open: boolean;
  onClose: () => void;
}) {
  const plan = trpc.admin.tenants.plan.useQuery({ tenantId: tenant.id }, { enabled: open });
  const [saving, setSaving] = useState(false);
  return (
    <Dialog
      open={open}
      title={`Plan of ${tenant.name}`}
      onClose={onClose}
      actions={
        <>
          <Button size="sm" variant="ghost" onClick={onClose}>
            Close
          </Button>
          {plan.data ? (
            <Button size="sm" variant="primary" type="submit" form={FORM_ID} loading={saving} loadingLabel="Saving…">
              Save plan
            </Button>
          ) : null}
        </>
      }
    >
      {plan.isPending ? (
        <Spinner label="Loading the plan…" showLabel />
      ) : plan.isError ? (
        <ErrorState
          title="The plan could not be loaded"
          message={describeError(plan.error)}
          onRetry={() => void plan.refetch()}
          retrying={plan.isFetching}
        />
      ) : (
        <>
          <PlanEditor
            key={plan.dataUpdatedAt}
            tenant={tenant}
            current={plan.data.current}
            onPendingChange={setSaving}
            onSaved={onClose}
          />
          <h3 className="dialog__subtitle">History</h3>
          <div className="plan-form__history">
            {plan.data.history.length ? (
              <PlanHistoryTable history={plan.data.history} />
            ) : (
              <EmptyState title="No changes yet" />
            )}
          </div>
        </>
      )}
    </Dialog>
  );
}

function PlanEditor({
  tenant,
  current,
  onPendingChange,
  onSaved,
}: {
  tenant: AdminTenant;
  current: TenantPlan;
  onPendingChange: (pending: boolean) => void;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<PlanForm>(() => planFormFrom(current));
  const [errors, setErrors] = useState<PlanFormErrors>({});
  const utils = trpc.useUtils();
  const setPlan = trpc.admin.tenants.setPlan.useMutation({
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: () => {
      void utils.admin.tenants.invalidate();
      void utils.admin.usage.invalidate();
      // The superadmin may be viewing this tenant: its gated screens follow.
      void utils.tenants.invalidate();
      onSaved();
    },
  });
  const set = (patch: Partial<PlanForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = setPlanInput(tenant.id, form);
    setErrors(result.errors ?? {});
    if (result.input) setPlan.mutate(result.input);
  };
  const custom = form.plan === 'custom';
  const shownFeatures = custom ? form.features : catalogueFeatures(form.plan);
  return (
    <form id={FORM_ID} className="form" noValidate onSubmit={submit} aria-label={`Plan of ${tenant.name}`}>
      <p>
        Now on <strong>{current.name}</strong>. Any plan can be set here; a downgrade below what the organisation uses
        is refused.
      </p>
      <Field id="admin-plan" label="Plan">
        {(control) => (
          <select
            {...control}
            className="input"
            value={form.plan}
            onChange={(e) => set({ plan: PlanId.parse(e.target.value) })}
          >
            {PlanId.options.map((id) => (
              <option key={id} value={id}>
                {PLANS[id].name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {custom ? (
        <div className="plan-form__limits">
          <Field id="admin-plan-users" label="Members" error={errors.maxUsers} hint="Empty: unlimited">
            {(control) => (
              <input
                {...control}
                className="input"
                inputMode="numeric"
                value={form.maxUsers}
                onChange={(e) => set({ maxUsers: e.target.value })}
              />
            )}
          </Field>
          <Field id="admin-plan-storage" label="Storage (GB)" error={errors.storageGb} hint="Empty: unlimited">
            {(control) => (
              <input
                {...control}
                className="input"
                inputMode="decimal"
                value={form.storageGb}
                onChange={(e) => set({ storageGb: e.target.value })}
              />
            )}
          </Field>
          <Field
            id="admin-plan-requests"
            label="API requests a day"
            error={errors.apiRequestsPerDay}
            hint="Empty: unlimited"
          >
            {(control) => (
              <input
                {...control}
                className="input"
                inputMode="numeric"
                value={form.apiRequestsPerDay}
                onChange={(e) => set({ apiRequestsPerDay: e.target.value })}
              />
            )}
          </Field>
        </div>
      ) : null}
      <fieldset className="plan-form__features" disabled={!custom}>
        <legend>Features{custom ? '' : ` of ${PLANS[form.plan].name}`}</legend>
        {Feature.options.map((feature) => (
          <label key={feature} className="checkbox">
            <input
              type="checkbox"
              checked={shownFeatures.includes(feature)}
              onChange={(e) =>
                set({
                  features: e.target.checked
                    ? Feature.options.filter((f) => f === feature || form.features.includes(f))
                    : form.features.filter((f) => f !== feature),
                })
              }
            />
            {FEATURE_NAMES[feature]}
          </label>
        ))}
      </fieldset>
      {setPlan.isError ? (
        <PlanChangeError error={setPlan.error} planName={PLANS[form.plan].name} tenantName={tenant.name} />
      ) : null}
    </form>
  );
}
