import { PagedList } from '../../components/PagedList';
import { can, type Member, type Role } from '@tenantry/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState } from '../../components/ErrorState';
import { FilterSelect, type FilterOption } from '../../components/FilterSelect';
import { SearchInput } from '../../components/SearchInput';
import { describeError } from '../../lib/api-errors';
import { formatDate } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { tenantContext } from '../tenants/tenant-context';
import { changeTenantContext } from '../tenants/tenant-queries';
import { RequireTenant } from '../tenants/TenantStates';
import { seatBreakdown } from '../invitations/invitation-rules';
import { InviteDialog } from './InviteDialog';
import { PendingInvitations } from './PendingInvitations';
import {
  assignableRoles,
  canRemoveMember,
  hasMemberFilters,
  memberListInput,
  NO_MEMBER_FILTERS,
  ROLES,
  seatUsage,
  type MemberFilters,
} from './member-rules';

export function MembersPage() {
  return (
    <>
      <title>Members · Tenantry</title>
      <RequireTenant>
        {(tenant) => (
          <Members
            tenantId={tenant.id}
            tenantName={tenant.name}
            role={tenant.role}
            viaSuperadmin={tenant.viaSuperadmin}
          />
        )}
      </RequireTenant>
    </>
  );
}

function Members({
  tenantId,
  tenantName,
  role,
  viaSuperadmin,
}: {
  tenantId: string;
  tenantName: string;
  role: Role;
  viaSuperadmin: boolean;
}) {
  const manages = can(role, 'members.manage');
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<string | null>(null);
  return (
    <>
      <div className="page-header page-header--actions">
        <div>
          <h1 className="page-title">Members</h1>
          <p className="page-subtitle">
            The people in {tenantName}.{' '}
            {viaSuperadmin
              ? 'You act with owner rights, as superadmin.'
              : `You are ${ROLE_LABELS[role].toLowerCase()}${manages ? '.' : ': you can see the members, not change them.'}`}
          </p>
        </div>
        {manages ? (
          <Button variant="primary" onClick={() => setInviting(true)}>
            Invite
          </Button>
        ) : null}
      </div>
      <div className="stack">
        <MemberList role={role} />
        {manages ? <PendingInvitations notice={invited ? `An invitation was sent to ${invited}.` : null} /> : null}
        {/* A superadmin's view is not a membership: there is nothing to leave. */}
        {viaSuperadmin ? null : <LeaveCard tenantId={tenantId} tenantName={tenantName} />}
      </div>
      {manages ? (
        <InviteDialog open={inviting} actorRole={role} onClose={() => setInviting(false)} onInvited={setInvited} />
      ) : null}
    </>
  );
}

/** After a change: the list, and the member counts the switcher and the overview show. */
function useMembersChanged(): () => void {
  const utils = trpc.useUtils();
  return () => {
    void utils.members.list.invalidate();
    void utils.tenants.mine.invalidate();
    void utils.tenants.current.invalidate();
  };
}

function SeatUsageBar({ count, maxUsers, pending }: { count: number; maxUsers: number | null; pending: number }) {
  const usage = seatUsage(count, maxUsers, pending);
  return (
    <div className="seats" data-testid="member-seats">
      <p className="seats__text">
        <strong>{usage.text}</strong>
        {pending > 0 ? <span className="muted"> · {seatBreakdown(count, pending)}</span> : null}
        {usage.full ? <span className="text-danger"> · no seat left on this plan</span> : null}
      </p>
      {usage.percent === null ? null : (
        <div
          className="seats__bar"
          role="meter"
          aria-label="Seats used"
          aria-valuemin={0}
          aria-valuemax={maxUsers ?? undefined}
          aria-valuenow={count + pending}
          aria-valuetext={usage.text}
        >
          <div
            className={`seats__fill${usage.full ? ' seats__fill--full' : ''}`}
            style={{ width: `${usage.percent}%` }}
          />
        </div>
      )}
    </div>
  );
}

const COLUMNS = 5;

const ROLE_FILTERS: readonly FilterOption<Role | ''>[] = [
  { value: '', label: 'All' },
  ...ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
];

function MemberList({ role }: { role: Role }) {
  const [filters, setFilters] = useState<MemberFilters>(NO_MEMBER_FILTERS);
  const deferred = useDeferredValue(filters);
  const filtered = hasMemberFilters(deferred);
  const me = trpc.auth.me.useQuery();
  const list = trpc.members.list.useInfiniteQuery(memberListInput(deferred), {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const members = list.data?.pages.flatMap((page) => page.items) ?? [];
  const first = list.data?.pages[0];
  const manages = can(role, 'members.manage');
  // Pending invitations hold seats too; only owners and admins may list them.
  const invitations = trpc.invitations.list.useQuery(undefined, { enabled: manages });
  const pending = invitations.data?.length ?? 0;
  const [removing, setRemoving] = useState<Member | null>(null);
  // The API's refusals, shown next to the member they are about.
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const setRowError = (userId: string, message: string | null) =>
    setRowErrors(({ [userId]: _previous, ...rest }) => (message ? { ...rest, [userId]: message } : rest));

  return (
    <Card
      title="People"
      actions={
        <div className="members-filters" role="search" aria-label="Filter the members">
          <SearchInput
            label="Search members"
            placeholder="Search by name or e-mail"
            value={filters.search}
            onChange={(search) => setFilters((current) => ({ ...current, search }))}
          />
          <FilterSelect
            label="Filter by role"
            value={filters.role}
            options={ROLE_FILTERS}
            onChange={(role) => setFilters((current) => ({ ...current, role }))}
          />
        </div>
      }
    >
      {first ? <SeatUsageBar count={first.count} maxUsers={first.maxUsers} pending={pending} /> : null}
      <PagedList
        query={list}
        count={members.length}
        loadingLabel="Loading the members…"
        errorTitle="The members could not be loaded"
        empty={
          <div data-testid="members-empty">
            {filtered ? (
              <EmptyState title="No member matches" message="Try another name, e-mail or role." />
            ) : (
              <EmptyState title="No members yet" />
            )}
          </div>
        }
      >
        <table className="table" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <MemberRow
                key={member.userId}
                member={member}
                actorRole={role}
                isMe={member.userId === me.data?.id}
                error={rowErrors[member.userId] ?? null}
                onError={(message) => setRowError(member.userId, message)}
                onRemove={manages ? () => setRemoving(member) : null}
              />
            ))}
          </tbody>
        </table>
      </PagedList>
      <RemoveMemberDialog
        member={removing}
        onClose={() => setRemoving(null)}
        onError={(userId, message) => setRowError(userId, message)}
      />
    </Card>
  );
}

const displayName = (member: Member) => member.name || member.email;

function MemberRow({
  member,
  actorRole,
  isMe,
  error,
  onError,
  onRemove,
}: {
  member: Member;
  actorRole: Role;
  isMe: boolean;
  error: string | null;
  onError: (message: string | null) => void;
  onRemove: (() => void) | null;
}) {
  const changed = useMembersChanged();
  const updateRole = trpc.members.updateRole.useMutation({ onSettled: changed });
  const roles = assignableRoles(actorRole, member.role);
  const label = displayName(member);

  const changeRole = (role: Role) => {
    onError(null);
    updateRole.mutate({ userId: member.userId, role }, { onError: (failure) => onError(describeError(failure)) });
  };

  return (
    <>
      <tr data-testid="member-row" data-user-id={member.userId}>
        <td className="table__strong">
          {member.name || <span className="muted">—</span>}
          {isMe ? <span className="muted"> (you)</span> : null}
        </td>
        <td>{member.email}</td>
        <td>
          {roles.length ? (
            <select
              className="input input--filter"
              aria-label={`Role of ${label}`}
              value={(updateRole.isPending ? updateRole.variables?.role : undefined) ?? member.role}
              disabled={updateRole.isPending}
              aria-busy={updateRole.isPending || undefined}
              onChange={(e) => changeRole(e.target.value as Role)}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          ) : (
            <span
              data-testid="member-role"
              title={can(actorRole, 'members.manage') ? 'Only an owner can change or remove another owner' : undefined}
            >
              {ROLE_LABELS[member.role]}
            </span>
          )}
        </td>
        <td className="table__nowrap">
          <time dateTime={member.joinedAt}>{formatDate(new Date(member.joinedAt))}</time>
        </td>
        <td className="table__actions">
          {/* One's own membership ends with "Leave organisation", below. */}
          {onRemove && !isMe && canRemoveMember(actorRole, member.role) ? (
            <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${label}`}>
              Remove
            </Button>
          ) : null}
        </td>
      </tr>
      {error ? (
        <tr className="table__row-error" data-testid="member-error">
          <td colSpan={COLUMNS}>
            <p className="text-danger" role="alert">
              {error}{' '}
              <Button
                size="sm"
                variant="ghost"
                onClick={() => onError(null)}
                aria-label={`Dismiss the error for ${label}`}
              >
                Dismiss
              </Button>
            </p>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function RemoveMemberDialog({
  member,
  onClose,
  onError,
}: {
  member: Member | null;
  onClose: () => void;
  onError: (userId: string, message: string | null) => void;
}) {
  const changed = useMembersChanged();
  const remove = trpc.members.remove.useMutation({ onSettled: changed });
  const close = () => {
    remove.reset();
    onClose();
  };
  const confirm = (target: Member) => {
    onError(target.userId, null);
    remove.mutate(
      { userId: target.userId },
      {
        onSuccess: close,
        // The refusal is about this member: say it on their row.
        onError: (failure) => {
          onError(target.userId, describeError(failure));
          close();
        },
      },
    );
  };
  return (
    <ConfirmDialog
      open={member !== null}
      title="Remove this member?"
      onClose={close}
      confirmLabel={'Remove member'}
      pendingLabel="Removing…"
      pending={remove.isPending}
      onConfirm={() => member && confirm(member)}
    >
      <p>
        {member ? displayName(member) : ''} will lose access to this organisation and its projects at once. They can
        come back only if someone adds them again.
      </p>
    </ConfirmDialog>
  );
}

/** Leaves the organisation, then shows the overview with no organisation chosen. */
function useLeaveOrganisation(tenantId: string) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  return trpc.members.leave.useMutation({
    onSuccess: () => {
      // Out of the list at once: until its refetch the shell would otherwise choose it again as the current one.
      utils.tenants.mine.setData(undefined, (mine) => mine?.filter((tenant) => tenant.id !== tenantId));
      changeTenantContext(queryClient, () => tenantContext.setMemberTenant(null));
      void navigate('/');
    },
  });
}

function LeaveCard({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  const [confirming, setConfirming] = useState(false);
  const leave = useLeaveOrganisation(tenantId);
  const close = () => {
    leave.reset();
    setConfirming(false);
  };
  return (
    <Card title="Your membership" description={`Leave ${tenantName} when you no longer work in it.`}>
      <div>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Leave organisation
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Leave this organisation?"
        onClose={close}
        confirmLabel={<>Leave {tenantName}</>}
        pendingLabel="Leaving…"
        pending={leave.isPending}
        onConfirm={() => leave.mutate()}
      >
        <p>You will lose access to {tenantName} and its projects. An owner or an admin would have to add you again.</p>
        {leave.isError ? (
          <p className="text-danger" role="alert" data-testid="leave-error">
            {describeError(leave.error)}
          </p>
        ) : null}
      </ConfirmDialog>
    </Card>
  );
}
