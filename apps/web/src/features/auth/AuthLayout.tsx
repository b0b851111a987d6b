import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { PageSpinner } from '../../components/Spinner';
import { HOME_PATH } from './redirect';
import { useSession } from './session';

export interface AuthLayoutProps {
  title: string;
  subtitle: ReactNode;
  /** Where a signed-in visitor is sent instead. */
  signedInTo?: string;
  /** A line under the card, such as a link to another flow. */
  footer?: ReactNode;
  children: ReactNode;
}

/** The frame of the signed-out pages: brand, one card with the form, an optional line under it. */
export function AuthLayout({ title, subtitle, signedInTo = HOME_PATH, footer, children }: AuthLayoutProps) {
  const session = useSession();
  if (session.status === 'signedIn') return <Navigate to={signedInTo} replace />;
  if (session.status === 'loading') return <PageSpinner label="Checking your session…" />;
  return (
    <main className="auth-layout">
      <title>{`${title} · Tenantry`}</title>
      <div className="auth-panel">
        <div className="brand brand--large">
          <img className="brand__mark" src="/favicon.svg" alt="" width={32} height={32} />
          <span className="brand__name">Tenantry</span>
        </div>
        <div className="card auth-card">
          <h1 className="auth-card__title">{title}</h1>
          <p className="auth-card__subtitle">{subtitle}</p>
          {children}
        </div>
        {footer ? <p className="auth-footer">{footer}</p> : null}
      </div>
    </main>
  );
}

/** The form-level error or notice at the top of a form. */
export function FormAlert({ id, tone, children }: { id?: string; tone: 'error' | 'success'; children: ReactNode }) {
  return (
    <div id={id} className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
