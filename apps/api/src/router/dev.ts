import { z } from 'zod';
import { AppError } from '../errors.js';
import { publicProcedure, router } from '../trpc.js';

const Mail = z.object({
  id: z.number(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  sentAt: z.iso.datetime(),
});

/** Development helpers; each answers NOT_FOUND in production or when a real mailer is configured. */
export const devRouter = router({
  /** The e-mails the development mailer "sent" (invitations with their accept links), newest first. */
  mailbox: publicProcedure.output(z.array(Mail)).query(({ ctx }) => {
    const outbox = ctx.services.mailer.outbox;
    if (ctx.services.env.NODE_ENV === 'production' || !outbox) {
      throw new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'There is no development mailbox here' });
    }
    return outbox().map((m) => ({ ...m }));
  }),
});
