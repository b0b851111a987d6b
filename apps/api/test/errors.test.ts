import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../src/errors.js';
import { createContextFactory, publicProcedure, router } from '../src/trpc.js';
import { buildApp } from '../src/app.js';
import { parseEnv } from '../src/env.js';
import type { TrpcResponse } from './helpers/app.js';
import { stackEnv } from './helpers/stack-env.js';

/** Procedures that fail in each way, served through the real app's context and error formatter. */
const failing = router({
  validated: publicProcedure
    .input(z.object({ email: z.email(), age: z.number().int().min(18) }))
    .mutation(({ input }) => input),
  boom: publicProcedure.query(() => {
    throw new Error('connection to 10.0.0.7 refused: password authentication failed for user "app"');
  }),
  mismatch: publicProcedure.query(() => {
    throw new AppError({ code: 'FORBIDDEN', appCode: 'TENANT_MISMATCH', message: 'The token names another tenant' });
  }),
});

const apps: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function appWith(nodeEnv: 'test' | 'development' | 'production') {
  // A production build never sees an emulator endpoint, so only the error path is exercised there.
  const env = parseEnv({
    ...stackEnv(),
    NODE_ENV: nodeEnv,
    LOG_LEVEL: 'silent',
    ...(nodeEnv === 'production' ? { COGNITO_ENDPOINT: undefined } : {}),
  });
  const app = await buildApp(env, { migrate: false });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/failing',
    trpcOptions: { router: failing, createContext: createContextFactory(app.services) },
  });
  await app.ready();
  apps.push(app);
  return app;
}

describe('error responses', () => {
  it('flatten Zod errors into field errors with appCode VALIDATION_FAILED', async () => {
    const app = await appWith('test');
    const res = await app.inject({ method: 'POST', url: '/failing/validated', payload: { email: 'nope', age: 12 } });
    const body = res.json<TrpcResponse>();
    expect(res.statusCode).toBe(400);
    expect(body.error?.message).toBe('Some fields are not valid');
    expect(body.error?.data.appCode).toBe('VALIDATION_FAILED');
    expect(Object.keys(body.error?.data.zodError?.fieldErrors ?? {}).sort()).toEqual(['age', 'email']);
  });

  it('carry a stable appCode for application errors', async () => {
    const app = await appWith('test');
    const res = await app.inject({ method: 'GET', url: '/failing/mismatch' });
    expect(res.statusCode).toBe(403);
    expect(res.json<TrpcResponse>().error).toMatchObject({
      message: 'The token names another tenant',
      data: { code: 'FORBIDDEN', appCode: 'TENANT_MISMATCH', zodError: null },
    });
  });

  it.each(['test', 'production'] as const)(
    'hide internals and stacks of unexpected errors (NODE_ENV=%s)',
    async (nodeEnv) => {
      const app = await appWith(nodeEnv);
      const res = await app.inject({ method: 'GET', url: '/failing/boom', headers: { 'x-request-id': 'req-42' } });
      expect(res.statusCode).toBe(500);
      const body = res.json<TrpcResponse>();
      expect(body.error?.message).toBe('Something went wrong on our side (request req-42).');
      expect(body.error?.data.appCode).toBe('INTERNAL');
      expect(body.error?.data.stack).toBeUndefined();
      expect(res.body).not.toMatch(/password|10\.0\.0\.7|at .*\.ts/);
    },
  );

  it('show the message and stack in development', async () => {
    const app = await appWith('development');
    const body = (await app.inject({ method: 'GET', url: '/failing/boom' })).json<TrpcResponse>();
    expect(body.error?.message).toMatch(/connection to 10\.0\.0\.7 refused/);
    expect(body.error?.data.stack).toMatch(/errors\.test\.ts/);
  });
});
