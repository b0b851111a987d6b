import { router } from '../trpc.js';
import { authRouter } from './auth.js';

/** One router per area; the SPA imports only this type. */
export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
