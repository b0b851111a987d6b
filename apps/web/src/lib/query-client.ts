import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isTrpcClientError } from './trpc';

/** The HTTP status of a failed API call, when the server answered one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!isTrpcClientError(error)) return undefined;
  return error.data?.httpStatus;
}

export function isUnauthorizedError(error: unknown): boolean {
  return isTrpcClientError(error) && error.data?.code === 'UNAUTHORIZED';
}

/** 4xx answers will not change by asking again; network and 5xx errors get two more tries. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) return false;
  return failureCount < 2;
}

export interface QueryClientOptions {
  /** Called once per burst of UNAUTHORIZED answers: the session is gone, sign in again. */
  onUnauthorized: () => Promise<void>;
}

export function createQueryClient({ onUnauthorized }: QueryClientOptions): QueryClient {
  let pending: Promise<void> | null = null;
  const handleError = (error: unknown): void => {
    if (!isUnauthorizedError(error) || pending) return;
    pending = onUnauthorized()
      // The handler reports its own failures; a second UNAUTHORIZED can try again.
      .catch(() => undefined)
      .finally(() => {
        pending = null;
      });
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
