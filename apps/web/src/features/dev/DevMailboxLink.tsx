import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { trpc } from '../../lib/trpc';

export const DEV_MAILBOX_PATH = '/dev/mailbox';

/** A discreet link to the development mailbox, shown only where the API has one (never in production). */
export function DevMailboxLink({ before }: { before?: ReactNode }) {
  const mailbox = trpc.dev.mailbox.useQuery(undefined, {
    retry: false,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  if (!mailbox.isSuccess) return null;
  return (
    <>
      {before}
      <Link to={DEV_MAILBOX_PATH} className="muted" data-testid="dev-mailbox-link">
        Development mailbox
      </Link>
    </>
  );
}
