import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { parseEnv } from './env.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
}

/** Parses the configuration, builds the app, listens, and closes it gracefully on SIGTERM/SIGINT. */
export async function runServer(source: Record<string, string | undefined>): Promise<RunningServer> {
  const env = parseEnv(source);
  const app = await buildApp(env);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an unexpected error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  const url = await app.listen({ host: env.HOST, port: env.PORT });
  return { app, url };
}
