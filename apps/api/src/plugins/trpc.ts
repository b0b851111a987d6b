import fp from 'fastify-plugin';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { appRouter, type AppRouter } from '../router/root.js';
import { AppError } from '../errors.js';
import type { AppServices } from '../services/index.js';
import { createContextFactory } from '../trpc.js';

export const trpcPlugin = fp<{ services: AppServices }>(async (app, { services }) => {
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: createContextFactory(services),
      allowBatching: true,
      maxBatchSize: services.env.TRPC_MAX_BATCH_SIZE,
      onError({ error, path, req, ctx }) {
        // Before the response is written: the header joins it (rate limits, Cognito throttling).
        if (error instanceof AppError && error.retryAfterSeconds !== undefined) {
          void ctx?.res.header('retry-after', String(error.retryAfterSeconds));
        }
        // Client errors are part of normal traffic; only failures on our side are logged as errors.
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
        } else {
          req.log.info({ path, code: error.code }, error.message);
        }
      },
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>);
});
