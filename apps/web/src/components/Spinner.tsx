export interface SpinnerProps {
  /** Read by screen readers, and shown next to the spinner when `showLabel` is set. */
  label?: string;
  showLabel?: boolean;
  size?: 'sm' | 'md' | 'lg';
}

export function Spinner({ label = 'Loading…', showLabel = false, size = 'md' }: SpinnerProps) {
  return (
    <span className="spinner-wrap" role="status" aria-live="polite">
      <span className={`spinner spinner--${size}`} aria-hidden="true" />
      <span className={showLabel ? 'spinner-label' : 'visually-hidden'}>{label}</span>
    </span>
  );
}

/** Fills the viewport while the app or a lazy route loads. */
export function PageSpinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="page-center">
      <Spinner label={label} showLabel size="lg" />
    </div>
  );
}
