import type { AppRouter } from '@tenantry/api/router';
import { httpBatchLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { fetchAuthSession } from 'aws-amplify/auth';

// Annotated so the declaration emit (composite project) never has to name the API's internal types.
export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AppClientError = TRPCClientError<AppRouter>;

/** Every API call carries the Cognito access token; Amplify refreshes it first when it has expired. */
async function authorizationHeader(): Promise<Record<string, string>> {
  const { tokens } = await fetchAuthSession();
  const accessToken = tokens?.accessToken.toString();
  return accessToken ? { Authorization: `Bearer ${accessToken}` } : {};
}

export function createTrpcClient(): TRPCClient<AppRouter> {
  return trpc.createClient({
    // maxItems stays within the API's TRPC_MAX_BATCH_SIZE (default 50).
    links: [httpBatchLink({ url: '/trpc', headers: authorizationHeader, maxItems: 20 })],
  });
}

export function isTrpcClientError(error: unknown): error is AppClientError {
  return error instanceof TRPCClientError;
}
