import { Navigate, Outlet, useLocation } from 'react-router';
import { PageSpinner } from '../../components/Spinner';
import { signInPath } from './redirect';
import { useSession } from './session';

/** Renders its child routes only for a signed-in user; others go to `/sign-in?next=<this page>`. */
export function RequireAuth() {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <PageSpinner label="Checking your session…" />;
  if (status === 'signedOut') return <Navigate to={signInPath(location)} replace />;
  return <Outlet />;
}
