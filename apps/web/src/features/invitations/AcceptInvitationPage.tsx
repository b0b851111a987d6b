import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { isTrpcClientError, trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { ACCEPT_FAILURE_HELP, ACCEPT_FAILURE_TITLES, acceptFailureOf } from './invitation-rules';
import { useAcceptInvitation } from './useAcceptInvitation';

/** The link of an invitation e-mail: accepts it for the signed-in user, then opens the organisation. */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  return (
    <>
      <title>Invitation · Tenantry</title>
      <div className="page-header">
        <h1 className="page-title">Invitation</h1>
      </div>
      {token.length >= 20 ? (
        <AcceptWithToken key={token} token={token} />
      ) : (
        <Failure title={ACCEPT_FAILURE_TITLES.unknown} message={ACCEPT_FAILURE_HELP.unknown ?? ''} />
      )}
    </>
  );
}

function AcceptWithToken({ token }: { token: string }) {
  const accepting = useAcceptInvitation();
  const started = useRef(false);
  useEffect(() => {
    // Once per link, even when React runs effects twice in development.
    if (started.current) return;
    started.current = true;
    accepting.accept({ token });
  }, [accepting, token]);

  if (accepting.acceptError !== null) {
    const error = accepting.acceptError;
    const status = isTrpcClientError(error) ? error.data?.httpStatus : undefined;
    const failure = acceptFailureOf(status, error instanceof Error ? error.message : '');
    return (
      <Failure
        title={ACCEPT_FAILURE_TITLES[failure]}
        message={ACCEPT_FAILURE_HELP[failure] ?? describeError(error)}
        wrongAccount={failure === 'wrong-account'}
      />
    );
  }
  if (!accepting.isDone || !accepting.tenantId) return <Spinner label="Accepting the invitation…" showLabel />;
  return <Joined tenantId={accepting.tenantId} switchError={accepting.switchError} />;
}

function Joined({ tenantId, switchError }: { tenantId: string; switchError: unknown }) {
  const mine = trpc.tenants.mine.useQuery();
  const tenant = mine.data?.find((t) => t.id === tenantId);
  return (
    <Card title="You joined the organisation">
      <div className="state" data-testid="invitation-accepted">
        <p className="state__title">
          {tenant ? (
            <>
              Welcome to <span data-testid="joined-tenant">{tenant.name}</span>
            </>
          ) : (
            'Welcome'
          )}
        </p>
        <p className="state__message">
          {tenant ? (
            <>
              You are <span data-testid="joined-role">{ROLE_LABELS[tenant.role]}</span>.{' '}
            </>
          ) : null}
          {switchError
            ? `It could not be opened (${describeError(switchError)}); choose it in the organisation menu.`
            : 'It is now your current organisation.'}
        </p>
        <Link className="btn btn--primary btn--md" to="/">
          Go to the overview
        </Link>
      </div>
    </Card>
  );
}

function Failure({ title, message, wrongAccount = false }: { title: string; message: string; wrongAccount?: boolean }) {
  const { signOut } = useSession();
  return (
    <Card title="The invitation could not be accepted">
      <div className="state state--error" role="alert" data-testid="invitation-failed">
        <p className="state__title">{title}</p>
        <p className="state__message">{message}</p>
        {wrongAccount ? (
          // The guard then asks to sign in, coming back to this link.
          <Button variant="primary" onClick={() => void signOut()}>
            Sign out and use another account
          </Button>
        ) : (
          <Link className="btn btn--secondary btn--md" to="/">
            Go to the overview
          </Link>
        )}
      </div>
    </Card>
  );
}
