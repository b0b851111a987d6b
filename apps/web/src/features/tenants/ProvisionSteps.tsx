import type { TenantStatus, ProvisionStep } from '@tenantry/shared';
import { provisionProgress, type StepState } from './provision-progress';

const MARKERS: Record<StepState, { icon: string; text: string }> = {
  done: { icon: '✓', text: 'done' },
  current: { icon: '', text: 'in progress' },
  pending: { icon: '', text: 'waiting' },
  failed: { icon: '✕', text: 'failed' },
};

/** The provisioning steps, each marked done, current, pending or failed. */
export function ProvisionSteps({ status, step }: { status: TenantStatus; step: ProvisionStep | null }) {
  return (
    <ol className="steps" data-testid="provision-steps" aria-label="Preparation steps">
      {provisionProgress({ status, step }).map((s) => (
        <li
          key={s.step}
          className={`steps__item steps__item--${s.state}`}
          data-testid={`provision-step-${s.step}`}
          data-state={s.state}
        >
          <span className="steps__marker" aria-hidden="true">
            {s.state === 'current' ? <span className="spinner spinner--sm" /> : MARKERS[s.state].icon}
          </span>
          <span className="steps__label">{s.label}</span>
          <span className="visually-hidden"> ({MARKERS[s.state].text})</span>
        </li>
      ))}
    </ol>
  );
}
