import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { readQueueDepth } from '../jobs/worker.js';
import type { AppServices } from '../services/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the separate metrics server listens (METRICS_PORT), once the app is ready; otherwise undefined. */
    metricsAddress(): AddressInfo | undefined;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Equal-time comparison of a presented token with the expected one, whatever their lengths. */
function sameToken(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer +(.+?) *$/i.exec(headers.authorization ?? '')?.[1];
}

/**
 * `GET /metrics` in Prometheus text format. With METRICS_PORT, on that separate (internal) port only, behind
 * the token when METRICS_TOKEN is set too; otherwise on the API's port behind `Authorization: Bearer
 * <METRICS_TOKEN>`; with neither, off (404).
 */
export const metricsPlugin = fp<{ services: AppServices }>(async (app, { services }) => {
  const { env, metrics, orm } = services;
  const token = env.METRICS_TOKEN;
  const separatePort = env.METRICS_PORT;
  const log = app.log.child({ component: 'metrics' });
  let server: Server | undefined;
  app.decorate('metricsAddress', () => {
    const address = server?.address();
    return address && typeof address === 'object' ? address : undefined;
  });

  const served = separatePort !== undefined || token !== undefined;
  if (!served) {
    log.info(
      'metrics are off: set METRICS_TOKEN (GET /metrics with "Authorization: Bearer <token>") or METRICS_PORT (a separate internal port) to turn them on',
    );
  } else {
    // The pool MikroORM connected at start-up; it only changes if the ORM is closed and connected again.
    metrics.watchDbPool(await orm.em.getConnection().getNativeClient());
    const queue = loggedQueueRead(orm, log);
    metrics.watchJobQueue(queue.read, queue.onError);
  }

  const answer = async (headers: IncomingHttpHeaders): Promise<Answer> => {
    if (token !== undefined) {
      const presented = bearer(headers);
      if (presented === undefined || !sameToken(presented, token)) {
        return {
          status: 401,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' },
          body: 'A metrics token is required: Authorization: Bearer <METRICS_TOKEN>\n',
        };
      }
    }
    const body = await metrics.registry.metrics();
    return {
      status: 200,
      headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
      body,
    };
  };

  // Always a route on the API's port, so that /metrics never falls through to the SPA.
  app.get('/metrics', async (req, reply) => {
    if (!served || separatePort !== undefined) {
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No route for GET /metrics' } });
    }
    const { status, headers, body } = await answer(req.headers);
    return reply.code(status).headers(headers).send(body);
  });

  if (separatePort === undefined) return;
  const metricsServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: try GET /metrics\n');
      return;
    }
    answer(req.headers).then(
      ({ status, headers, body }) => res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body),
      (err: unknown) => {
        log.error({ err }, 'metrics scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics scrape failed\n');
      },
    );
  });
  app.addHook('onReady', async () => {
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('error', reject);
      metricsServer.listen(separatePort, env.HOST, () => {
        metricsServer.off('error', reject);
        resolve();
      });
    });
    server = metricsServer;
    const address = app.metricsAddress();
    log.info({ host: address?.address, port: address?.port }, 'metrics served on a separate port: GET /metrics');
  });
  app.addHook('onClose', async () => {
    if (!metricsServer.listening) return;
    metricsServer.closeAllConnections();
    await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  });
});

/** The queue read, logging a failure once when reads start failing (not at every scrape) and once on recovery. */
function loggedQueueRead(orm: AppServices['orm'], log: FastifyBaseLogger) {
  let failing = false;
  return {
    read: async () => {
      const rows = await readQueueDepth(orm);
      if (failing) log.info('job queue depth can be read again');
      failing = false;
      return rows;
    },
    onError: (err: unknown) => {
      if (!failing) log.warn({ err }, 'job queue depth could not be read; the series is left out until it can');
      failing = true;
    },
  };
}
