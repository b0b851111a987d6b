import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
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
  close(): void;
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
    close: () => undefined,
  };
}

export interface SesSettings {
  from: string;
  region: string;
  /** Only for a stand-in of SES; AWS's endpoint otherwise. */
  endpoint?: string | undefined;
}

/** Amazon SES (v2 API); credentials from the default chain (instance role, environment, profile). */
export function createSesMailer(settings: SesSettings, log: FastifyBaseLogger): Mailer {
  const client = new SESv2Client({
    region: settings.region,
    maxAttempts: 3,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  return {
    async send(message) {
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: settings.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      log.info({ to: message.to, subject: message.subject, messageId: result.MessageId }, 'e-mail sent (SES)');
    },
    close: () => client.destroy(),
  };
}
