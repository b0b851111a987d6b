import fp from 'fastify-plugin';
import type { ServiceInfo } from '@tenantry/shared';
import { checkReadiness } from '../services/readiness.js';
import type { AppServices } from '../services/index.js';
import { SERVICE_VERSION } from '../version.js';

/** `GET /` (what this is), `/health/live` (the process answers), `/health/ready` (its dependencies answer). */
export const healthPlugin = fp<{ services: AppServices }>(async (app, { services }) => {
  app.get('/', async (req, reply): Promise<ServiceInfo | undefined> => {
    // On the production shape (one port) a browser asking for "/" gets the SPA; API clients get JSON.
    if (services.env.WEB_DIST_DIR && (req.headers.accept ?? '').includes('text/html')) {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return { service: 'tenantry-api', version: SERVICE_VERSION, status: 'ok', time: new Date().toISOString() };
  });

  app.get('/health/live', async () => ({ status: 'live' }));

  app.get('/health/ready', async (req, reply) => {
    const readiness = await checkReadiness(services);
    if (readiness.failing.length) {
      req.log.warn({ failing: readiness.failing, checks: readiness.checks }, 'not ready');
      reply.code(503);
    }
    reply.header('cache-control', 'no-store');
    return readiness;
  });
});
