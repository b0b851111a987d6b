import type { AppRouter } from '@tenantry/api/router';
import {
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  type TRPCClient,
} from '@trpc/client';
import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { fetchAuthSession } from 'aws-amplify/auth';
import { tenantHeaders } from '../features/tenants/tenant-context';

// Annotated so the declaration emit (composite project) never has to name the API's internal types.
export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AppClientError = TRPCClientError<AppRouter>;

/** The Cognito access token; Amplify refreshes it first when it has expired. */
async function accessToken(): Promise<string | undefined> {
  const { tokens } = await fetchAuthSession();
  return tokens?.accessToken.toString();
}

/** Every API call carries the access token, and the active tenant for tenant-scoped procedures. */
async function requestHeaders(): Promise<Record<string, string>> {
  const token = await accessToken();
  return { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...tenantHeaders() };
}

export function createTrpcClient(): TRPCClient<AppRouter> {
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // EventSource cannot send headers: the API reads the token from the connection parameters.
        true: httpSubscriptionLink({
          url: '/trpc',
          connectionParams: async () => {
            const token = await accessToken();
            return token ? { token } : {};
          },
        }),
        false: splitLink({
          // Development helpers go alone and anonymous: in a batch, their 404 (production) or a refused
          // token would turn the app's answers into a mixed 207.
          condition: (op) => op.path.startsWith('dev.'),
          true: httpLink({ url: '/trpc' }),
          // maxItems stays within the API's TRPC_MAX_BATCH_SIZE (default 50).
          false: httpBatchLink({ url: '/trpc', headers: requestHeaders, maxItems: 20 }),
        }),
      }),
    ],
  });
}

export function isTrpcClientError(error: unknown): error is AppClientError {
  return error instanceof TRPCClientError;
}

/** The stable application code of a failed API call (`data.appCode`), when it has one. */
export function appCodeOf(error: unknown): string | undefined {
  if (!isTrpcClientError(error)) return undefined;
  const data = error.data as { appCode?: unknown } | undefined;
  return typeof data?.appCode === 'string' ? data.appCode : undefined;
}

/** Zod's flattened field errors of a failed call (`data.zodError.fieldErrors`): the first message per field. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!isTrpcClientError(error)) return {};
  const data = error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null } | undefined;
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(data?.zodError?.fieldErrors ?? {})) {
    if (messages?.[0]) out[field] = messages[0];
  }
  return out;
}
