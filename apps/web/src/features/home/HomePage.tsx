import { useSession } from '../auth/session';
import { MyInvitationsCard } from '../invitations/MyInvitationsCard';
import { TenantOverview } from '../tenants/TenantInfoCard';
import { TenantOpsCards } from '../tenants/TenantOpsCards';
import { MeCard } from './MeCard';
import { SessionCard } from './SessionCard';

export function HomePage() {
  const { user } = useSession();
  return (
    <>
      <title>Overview · Tenantry</title>
      <div className="page-header">
        <h1 className="page-title">Overview</h1>
        <p className="page-subtitle">
          {user?.email ? `Signed in as ${user.email}.` : 'You are signed in.'} Your organisation, account and session at
          a glance.
        </p>
      </div>
      <div className="card-grid">
        <MyInvitationsCard />
        <TenantOverview />
        <TenantOpsCards />
        <MeCard />
        <SessionCard />
      </div>
    </>
  );
}
