import { Link } from 'react-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { formatDateTime } from '../../lib/time';
import { isTrpcClientError, trpc, type RouterOutputs } from '../../lib/trpc';
import { mailLinkTarget, splitLinks } from './mail-links';

type Mail = RouterOutputs['dev']['mailbox'][number];

/** What the development mailer "sent", newest first; public, since an invitee may have no account yet. */
export function MailboxPage() {
  const mailbox = trpc.dev.mailbox.useQuery(undefined, { retry: false, refetchInterval: 5000 });
  const absent = isTrpcClientError(mailbox.error) && mailbox.error.data?.httpStatus === 404;
  return (
    <main className="content">
      <title>Development mailbox · Tenantry</title>
      <div className="page-header page-header--actions">
        <div>
          <h1 className="page-title">Development mailbox</h1>
          <p className="page-subtitle">
            The e-mails this server would have sent. Only development servers keep them.{' '}
            <Link to="/">Back to Tenantry</Link>
          </p>
        </div>
        <Button
          size="sm"
          onClick={() => void mailbox.refetch()}
          loading={mailbox.isFetching}
          loadingLabel="Refreshing…"
        >
          Refresh
        </Button>
      </div>
      <Card title="Outbox">
        {mailbox.isPending ? (
          <Spinner label="Loading the mailbox…" showLabel />
        ) : absent ? (
          <EmptyState title="There is no development mailbox here" message="This server sends real e-mails." />
        ) : mailbox.isError ? (
          <ErrorState
            title="The mailbox could not be loaded"
            message={describeError(mailbox.error)}
            onRetry={() => void mailbox.refetch()}
            retrying={mailbox.isFetching}
          />
        ) : mailbox.data.length === 0 ? (
          <div data-testid="mailbox-empty">
            <EmptyState title="No e-mail yet" message="Invitations appear here as soon as they are sent." />
          </div>
        ) : (
          <ul className="mailbox">
            {mailbox.data.map((mail) => (
              <MailItem key={mail.id} mail={mail} />
            ))}
          </ul>
        )}
      </Card>
    </main>
  );
}

function MailItem({ mail }: { mail: Mail }) {
  return (
    <li className="card mailbox__item" data-testid="mail">
      <div className="card__body">
        <p>
          <strong>{mail.subject}</strong>
        </p>
        <p className="muted">
          To <span data-testid="mail-to">{mail.to}</span> ·{' '}
          <time dateTime={mail.sentAt}>{formatDateTime(new Date(mail.sentAt))}</time>
        </p>
        <p className="mailbox__text">
          {splitLinks(mail.text).map((part, i) =>
            part.kind === 'text' ? (
              <span key={i}>{part.text}</span>
            ) : (
              <a key={i} href={mailLinkTarget(part.href, window.location.origin)}>
                {part.href}
              </a>
            ),
          )}
        </p>
      </div>
    </li>
  );
}
