import type { ReactNode } from 'react';
import { describeError } from '../lib/api-errors';
import { Button } from './Button';
import { ErrorState } from './ErrorState';
import { Spinner } from './Spinner';

/** What PagedList needs of a TanStack `useInfiniteQuery` result. */
export interface PagedQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * The states of a paged list: loading, failed (with retry), empty, or the rows with "Load more" while
 * there are more pages.
 */
export function PagedList({
  query,
  count,
  loadingLabel,
  errorTitle,
  empty,
  children,
}: {
  query: PagedQuery;
  /** Rows loaded so far. */
  count: number;
  loadingLabel: string;
  errorTitle: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (query.isPending) return <Spinner label={loadingLabel} showLabel />;
  if (query.isError) {
    return (
      <ErrorState
        title={errorTitle}
        message={describeError(query.error)}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  if (count === 0) return <>{empty}</>;
  return (
    <div className="table-wrap">
      {children}
      {query.hasNextPage ? (
        <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} loadingLabel="Loading…">
          Load more
        </Button>
      ) : null}
    </div>
  );
}
