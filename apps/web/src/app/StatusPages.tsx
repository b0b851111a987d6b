import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import type { ReactNode } from 'react';
import { Button } from '../components/Button';

interface StatusPageProps {
  title: string;
  children: ReactNode;
  /** Outside the app shell the page brings its own `<main>` and fills the viewport. */
  fullPage?: boolean;
}

function StatusPage({ title, children, fullPage = true }: StatusPageProps) {
  const card = (
    <div className="card status-card">
      <title>{`${title} · Tenantry`}</title>
      <h1 className="status-card__title">{title}</h1>
      {children}
    </div>
  );
  return fullPage ? <main className="page-center">{card}</main> : <div className="status-inline">{card}</div>;
}

export function NotFoundPage({ fullPage = false }: { fullPage?: boolean }) {
  return (
    <StatusPage title="Page not found" fullPage={fullPage}>
      <p className="muted">There is nothing at this address. It may have moved, or the link may be wrong.</p>
      <Link className="btn btn--primary btn--md" to="/">
        Go to the overview
      </Link>
    </StatusPage>
  );
}

/** Shown when a route fails to render or its code cannot be loaded (for example after a deploy). */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage fullPage />;
  return (
    <StatusPage title="This page failed to load">
      <p className="muted">
        {error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(error.message)
          ? 'A newer version of Tenantry may have been released. Reload to get it.'
          : 'Something went wrong while showing this page. Reloading usually fixes it.'}
      </p>
      <Button variant="primary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </StatusPage>
  );
}

export interface BootErrorPageProps {
  message: string;
  onRetry: () => void;
}

/** Full-page error when the SPA cannot start (no `/config.json`, or an invalid one). */
export function BootErrorPage({ message, onRetry }: BootErrorPageProps) {
  return (
    <main className="page-center">
      <div className="card status-card" role="alert" data-testid="boot-error">
        <title>Tenantry is unavailable</title>
        <h1 className="status-card__title">Tenantry could not start</h1>
        <p>{message}</p>
        <p className="muted">If this keeps happening, the server may be down or misconfigured.</p>
        <Button variant="primary" onClick={onRetry} autoFocus>
          Try again
        </Button>
      </div>
    </main>
  );
}
