import { resolve } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { PublicConfig } from '@tenantry/shared';
import type { Env } from '../env.js';

export function publicConfig(env: Env): PublicConfig {
  return {
    cognito: {
      region: env.COGNITO_REGION,
      userPoolId: env.COGNITO_USER_POOL_ID,
      userPoolClientId: env.COGNITO_SPA_CLIENT_ID,
      ...(env.COGNITO_ENDPOINT ? { endpoint: env.COGNITO_ENDPOINT } : {}),
      // The emulator has no SRP; real Cognito keeps passwords off the wire with it.
      authFlowType: env.COGNITO_ENDPOINT ? 'USER_PASSWORD_AUTH' : 'USER_SRP_AUTH',
    },
  };
}

const API_PATHS = /^\/(trpc|health)(\/|$)/;

/** `GET /config.json` for the SPA, and the built SPA itself when WEB_DIST_DIR is set (one port in production). */
export const webPlugin = fp<{ env: Env }>(async (app, { env }) => {
  const config = publicConfig(env);
  app.get('/config.json', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return config;
  });

  if (!env.WEB_DIST_DIR) return;
  await app.register(fastifyStatic, {
    root: resolve(env.WEB_DIST_DIR),
    index: false,
    setHeaders(res, path) {
      // Vite fingerprints everything under assets/; index.html must always be revalidated.
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler((req, reply) => {
    const wantsPage =
      req.method === 'GET' && !API_PATHS.test(req.url) && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage) {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
  });
});
