import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { parseEnv } from '../../src/env.js';
import { stackEnv } from './stack-env.js';

export interface TestApp {
  app: FastifyInstance;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The raw log text, to search for things that must never be logged. */
  rawLogs: () => string;
  close: () => Promise<void>;
}

/** The API built in-process against the real local stack; `overrides` change single variables. */
export async function buildTestApp(
  overrides: Record<string, string | undefined> = {},
  options: BuildOptions = {},
): Promise<TestApp> {
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const env = parseEnv({
    ...stackEnv(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    // Suites fire hundreds of calls a second from one user and address; the rate-limit tests set their own.
    RATE_LIMIT_TENANT_PER_SECOND: '100000',
    RATE_LIMIT_USER_PER_SECOND: '100000',
    RATE_LIMIT_IP_PER_SECOND: '100000',
    ...overrides,
  });
  const app = await buildApp(env, { logStream, ...options });
  await app.ready();
  const rawLogs = () => chunks.join('');
  return {
    app,
    get logs() {
      return rawLogs()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs,
    close: () => app.close(),
  };
}

/** Calls a tRPC query over HTTP, as a browser would. */
export async function trpcQuery(app: FastifyInstance, path: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url: `/trpc/${path}`, headers });
  return { status: res.statusCode, headers: res.headers, body: res.json<TrpcResponse>() };
}

export interface TrpcResponse {
  result?: { data: unknown };
  error?: {
    message: string;
    code: number;
    data: {
      code: string;
      httpStatus: number;
      appCode: string;
      zodError: { formErrors: string[]; fieldErrors: Record<string, string[]> } | null;
      stack?: string;
    };
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Calls a tRPC mutation over HTTP (POST with the input as the JSON body); `ip` sets the client address. */
export async function trpcMutation(
  app: FastifyInstance,
  path: string,
  input: unknown,
  options: { headers?: Record<string, string>; ip?: string } = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: `/trpc/${path}`,
    headers: { 'content-type': 'application/json', ...options.headers },
    payload: JSON.stringify(input),
    ...(options.ip ? { remoteAddress: options.ip } : {}),
  });
  return { status: res.statusCode, headers: res.headers, body: res.json<TrpcResponse>() };
}
