import { PROVISION_STEP_LABELS, ProvisionStep, type TenantStatus } from '@tenantry/shared';

export type StepState = 'done' | 'current' | 'pending' | 'failed';

export interface ProgressStep {
  step: ProvisionStep;
  label: string;
  state: StepState;
}

export interface ProvisionSnapshot {
  status: TenantStatus;
  step: ProvisionStep | null;
}

/** Statuses after which the status stream ends: nothing more will happen without someone acting. */
export const SETTLED_STATUSES: readonly TenantStatus[] = ['ready', 'failed', 'suspended', 'deleting', 'deleted'];

export const isSettled = (status: TenantStatus): boolean => SETTLED_STATUSES.includes(status);

/**
 * Each provisioning step as done, current, pending or failed: steps before the one named by `step` are done,
 * that one is running (or failed), the rest wait. A queued tenant has every step pending.
 */
export function provisionProgress({ status, step }: ProvisionSnapshot): ProgressStep[] {
  const steps = ProvisionStep.options;
  const at = step ? steps.indexOf(step) : -1;
  const stateOf = (index: number): StepState => {
    switch (status) {
      case 'pending':
        return 'pending';
      case 'preparing':
        if (at < 0) return index === 0 ? 'current' : 'pending';
        return index < at ? 'done' : index === at ? 'current' : 'pending';
      case 'failed': {
        const failedAt = at < 0 ? 0 : at;
        return index < failedAt ? 'done' : index === failedAt ? 'failed' : 'pending';
      }
      default:
        // ready, and statuses a ready tenant moves on to (suspended, deleting…): it was fully prepared.
        return 'done';
    }
  };
  return steps.map((s, index) => ({ step: s, label: PROVISION_STEP_LABELS[s], state: stateOf(index) }));
}

/** One sentence for where provisioning stands. */
export function provisionHeadline(status: TenantStatus): string {
  switch (status) {
    case 'pending':
      return 'Queued: preparation starts in a moment.';
    case 'preparing':
      return 'Preparing your organisation…';
    case 'ready':
      return 'Ready.';
    case 'failed':
      return 'Preparation failed.';
    case 'suspended':
      return 'This organisation is suspended.';
    default:
      return 'This organisation is being removed.';
  }
}
