import { can } from '@tenantry/shared';
import { Link, NavLink, Outlet, useMatch, useNavigation } from 'react-router';
import { CHANGE_PASSWORD_PATH } from '../features/auth/auth-paths';
import { SignOutButton } from '../features/auth/SignOutButton';
import { DevMailboxLink } from '../features/dev/DevMailboxLink';
import { useSession } from '../features/auth/session';
import { useRegionSync } from '../features/settings/useBranding';
import { SuperadminBanner } from '../features/tenants/SuperadminBanner';
import { TenantSwitcher } from '../features/tenants/TenantSwitcher';
import { useActiveTenant, useTenantContextSync } from '../features/tenants/useActiveTenant';
import { trpc } from '../lib/trpc';

/** The frame of every signed-in page: product name, navigation, organisation, who is signed in, sign-out. */
export function AppShell() {
  const { user } = useSession();
  const navigation = useNavigation();
  const me = trpc.auth.me.useQuery();
  const active = useActiveTenant();
  // The console's link opens its first section but stands for all of them.
  const inConsole = useMatch('/admin/*') !== null;
  useTenantContextSync();
  useRegionSync();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {navigation.state === 'loading' ? <div className="route-progress" aria-hidden="true" /> : null}
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="Tenantry home">
            <img className="brand__mark" src="/favicon.svg" alt="" width={24} height={24} />
            <span className="brand__name">Tenantry</span>
          </Link>
          <TenantSwitcher />
          <nav className="topbar__nav" aria-label="Main">
            <NavLink to="/" end className="nav-link">
              Overview
            </NavLink>
            <NavLink to="/projects" className="nav-link">
              Projects
            </NavLink>
            <NavLink to="/files" className="nav-link">
              Files
            </NavLink>
            <NavLink to="/members" className="nav-link">
              Members
            </NavLink>
            <NavLink to="/settings" className="nav-link">
              Settings
            </NavLink>
            {active.state === 'ready' && can(active.role, 'audit.read') ? (
              <NavLink to="/audit" className="nav-link">
                Audit
              </NavLink>
            ) : null}
            {active.state === 'ready' && can(active.role, 'usage.read') ? (
              <NavLink to="/usage" className="nav-link">
                Usage
              </NavLink>
            ) : null}
            {active.state === 'ready' ? (
              <NavLink to="/plan" className="nav-link">
                Plan
              </NavLink>
            ) : null}
            {me.data?.isSuperadmin ? (
              <NavLink
                to="/admin/tenants"
                className={({ isActive }) => (isActive || inConsole ? 'nav-link active' : 'nav-link')}
              >
                Console
              </NavLink>
            ) : null}
          </nav>
          <div className="topbar__user">
            {user?.email ? (
              <span className="topbar__email" data-testid="header-email" title={user.email}>
                {user.email}
              </span>
            ) : null}
            <NavLink to={CHANGE_PASSWORD_PATH} className="nav-link nav-link--small">
              Change password
            </NavLink>
            <SignOutButton />
          </div>
        </div>
      </header>
      <SuperadminBanner />
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <DevMailboxLink />
      </footer>
    </div>
  );
}
