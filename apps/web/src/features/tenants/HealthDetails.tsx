import type { TenantHealth } from '@tenantry/shared';
import { Badge } from '../../components/Badge';
import { formatDateTime } from '../../lib/time';
import { storageText } from './tenant-ops';
import './tenant-ops.css';

/** A health report: the verdict, its problems in words, then the figures (the owner's card and the console). */
export function HealthDetails({ health }: { health: TenantHealth }) {
  return (
    <div data-testid="tenant-health" data-healthy={health.healthy}>
      <p>
        <Badge tone={health.healthy ? 'success' : 'danger'}>{health.healthy ? 'Healthy' : 'Needs attention'}</Badge>{' '}
        <span className="muted">Checked {formatDateTime(new Date(health.checkedAt))}</span>
      </p>
      {health.problems.length ? (
        <ul className="health__problems" data-testid="health-problems">
          {health.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <dl className="details">
        <div className="details__row">
          <dt>Schema</dt>
          <dd>
            {health.schemaPresent ? 'Present' : 'Missing'} · version {health.schemaVersion} of{' '}
            {health.latestSchemaVersion}
          </dd>
        </div>
        <div className="details__row">
          <dt>Storage</dt>
          <dd>{storageText(health)}</dd>
        </div>
        <div className="details__row">
          <dt>Job errors</dt>
          <dd>
            {health.recentJobErrors.length
              ? health.recentJobErrors.map((j) => (
                  <div key={`${j.task}-${j.at}`}>
                    <code className="mono">{j.task}</code> {formatDateTime(new Date(j.at))}: {j.error}
                  </div>
                ))
              : 'None'}
          </dd>
        </div>
      </dl>
      {health.tables.length ? (
        <table className="health__tables">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Rows</th>
            </tr>
          </thead>
          <tbody>
            {health.tables.map((t) => (
              <tr key={t.name}>
                <td>
                  <code className="mono">{t.name}</code>
                </td>
                <td>{t.rows}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
