/**
 * Packages the bench borrows from the API's own dependencies (tests/package.json does not list them):
 * `pg` for the raw baseline and the provisioning probe, `@trpc/server` for the adapter-only baseline.
 * Loaded with the API package's resolver, typed from the same files.
 */
import { createRequire } from 'node:module';
import type * as PgModule from '../../apps/api/node_modules/@types/pg/index.js';
import type * as TrpcServer from '../../apps/api/node_modules/@trpc/server/dist/index.mjs';
import type * as TrpcFastify from '../../apps/api/node_modules/@trpc/server/dist/adapters/fastify/index.mjs';

const apiRequire = createRequire(new URL('../../apps/api/package.json', import.meta.url));

export type PgPool = PgModule.Pool;
export const pg = apiRequire('pg') as typeof PgModule;
export const trpcServer = apiRequire('@trpc/server') as typeof TrpcServer;
export const trpcFastify = apiRequire('@trpc/server/adapters/fastify') as typeof TrpcFastify;
