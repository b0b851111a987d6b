import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import { createQueryClient, isUnauthorizedError, shouldRetry } from './query-client';

function apiError(code: string, httpStatus: number) {
  return new TRPCClientError('failed', {
    result: { error: { code: -32001, message: 'failed', data: { code, httpStatus } } },
  });
}

describe('shouldRetry', () => {
  it('does not retry 4xx answers', () => {
    expect(shouldRetry(0, apiError('UNAUTHORIZED', 401))).toBe(false);
    expect(shouldRetry(0, apiError('NOT_FOUND', 404))).toBe(false);
    expect(shouldRetry(0, apiError('TOO_MANY_REQUESTS', 429))).toBe(false);
  });

  it('retries server and network errors twice', () => {
    expect(shouldRetry(0, apiError('INTERNAL_SERVER_ERROR', 500))).toBe(true);
    expect(shouldRetry(1, new TRPCClientError('fetch failed'))).toBe(true);
    expect(shouldRetry(2, new TRPCClientError('fetch failed'))).toBe(false);
  });
});

describe('createQueryClient', () => {
  it('recognises UNAUTHORIZED only from the tRPC error code', () => {
    expect(isUnauthorizedError(apiError('UNAUTHORIZED', 401))).toBe(true);
    expect(isUnauthorizedError(apiError('FORBIDDEN', 403))).toBe(false);
    expect(isUnauthorizedError(new Error('UNAUTHORIZED'))).toBe(false);
  });

  it('calls onUnauthorized once for a burst of UNAUTHORIZED answers', async () => {
    let finish: () => void = () => undefined;
    const onUnauthorized = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const client = createQueryClient({ onUnauthorized });
    const failing = (key: string) =>
      client.fetchQuery({ queryKey: [key], queryFn: () => Promise.reject(apiError('UNAUTHORIZED', 401)) });

    await Promise.allSettled([failing('a'), failing('b'), failing('c')]);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);

    finish();
    await vi.waitFor(async () => {
      await failing('d').catch(() => undefined);
      expect(onUnauthorized).toHaveBeenCalledTimes(2);
    });
  });

  it('ignores other errors', async () => {
    const onUnauthorized = vi.fn(() => Promise.resolve());
    const client = createQueryClient({ onUnauthorized });
    await client
      .fetchQuery({ queryKey: ['x'], queryFn: () => Promise.reject(apiError('FORBIDDEN', 403)) })
      .catch(() => undefined);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});
