import { isTrpcClientError } from './trpc';

/** One sentence for an error state, from a failed API call or any other error. */
export function describeError(error: unknown): string {
  if (isTrpcClientError(error)) {
    const status = error.data?.httpStatus;
    if (status === undefined) return 'The Tenantry API could not be reached. Check your connection and try again.';
    if (status >= 500) return 'The Tenantry API had a problem answering. Try again in a moment.';
    return error.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something unexpected went wrong.';
}
