import type { Quota } from './usage-format';
import './usage.css';

/** What a bar says under it at each level, unless a page says it better. */
export type QuotaNotes = Record<Quota['level'], string | null>;

const DEFAULT_NOTES: QuotaNotes = {
  ok: null,
  warn: 'Close to the limit.',
  over: 'At the limit of the plan.',
};

/**
 * One quota as a labelled meter (amber from 80 %, red at 100 %, a plain band when unlimited): the usage
 * page's bars and the files page's storage.
 */
export function QuotaBar({
  id,
  label,
  quota: q,
  notes = DEFAULT_NOTES,
  overNote,
  className,
}: {
  id: string;
  label: string;
  quota: Quota;
  notes?: QuotaNotes;
  /** Added to the "over" note (e.g. how the quota resets). */
  overNote?: string;
  className?: string;
}) {
  const labelId = `quota-${id}-label`;
  const note = q.level === 'over' && overNote ? `${notes.over ?? ''} ${overNote}`.trim() : notes[q.level];
  return (
    <div
      className={`${className ? `${className} ` : ''}quota quota--${q.level}`}
      data-testid={`quota-${id}`}
      data-level={q.level}
    >
      <div className="quota__head">
        <span id={labelId} className="quota__label">
          {label}
        </span>
        <span className="quota__value">
          {q.text}
          {q.percent === null ? null : <span className="muted"> · {q.percent} %</span>}
        </span>
      </div>
      {q.percent === null ? (
        <div className="quota__bar quota__bar--unlimited" aria-hidden="true" />
      ) : (
        <div
          className="quota__bar"
          role="meter"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={q.fill}
          aria-valuetext={`${q.text} (${q.percent} %)`}
        >
          <div className="quota__fill" style={{ width: `${q.fill}%` }} />
        </div>
      )}
      {note ? <p className="quota__note">{note}</p> : null}
    </div>
  );
}
