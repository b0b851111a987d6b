import type { FastifyBaseLogger } from 'fastify';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface SentMail extends MailMessage {
  id: number;
  sentAt: string;
}

/** Sends e-mail. The development implementation keeps messages for the dev mailbox and logs them. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** The development mailbox, newest first; undefined for a mailer that really sends. */
  readonly outbox?: () => readonly SentMail[];
}

const OUTBOX_SIZE = 100;

/** Development and tests: nothing leaves the machine; the message (with its links) goes to the log and the outbox. */
export function createDevMailer(log: FastifyBaseLogger): Mailer {
  const sent: SentMail[] = [];
  let next = 1;
  return {
    async send(message) {
      const mail = { ...message, id: next++, sentAt: new Date().toISOString() };
      sent.unshift(mail);
      sent.length = Math.min(sent.length, OUTBOX_SIZE);
      log.info({ to: message.to, subject: message.subject, text: message.text }, 'e-mail (development mailbox)');
      await Promise.resolve();
    },
    outbox: () => sent,
  };
}
