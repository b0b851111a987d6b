import type { ReactNode } from 'react';
import { Card } from '../../components/Card';
import { EmptyState, ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { AdminTabs } from './AdminTabs';

/** A page of the superadmin console: its heading, the console's tabs, and its content for superadmins only. */
export function ConsolePage(props: { title: string; documentTitle: string; subtitle: string; children: ReactNode }) {
  const me = trpc.auth.me.useQuery();
  return (
    <>
      <title>{props.documentTitle}</title>
      <div className="page-header">
        <h1 className="page-title">{props.title}</h1>
        <p className="page-subtitle">{props.subtitle}</p>
      </div>
      {me.isPending ? (
        <Spinner label="Checking your access…" showLabel />
      ) : me.isError ? (
        <ErrorState
          title="Your account could not be loaded"
          message={describeError(me.error)}
          onRetry={() => void me.refetch()}
        />
      ) : !me.data.isSuperadmin ? (
        <Card title="Superadmins only">
          <EmptyState
            title="This console is for platform operators"
            message="Ask a superadmin if you need something here."
          />
        </Card>
      ) : (
        <>
          <AdminTabs />
          {props.children}
        </>
      )}
    </>
  );
}
