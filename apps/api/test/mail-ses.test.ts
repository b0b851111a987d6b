import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { uniqueEmail } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader } from './helpers/tenants.js';

/** What arrived at a stand-in of the SES v2 HTTP API (no SES emulator exists here; AWS is not reachable). */
interface Received {
  path: string;
  authorization: string | undefined;
  body: {
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[] };
    Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string } } } };
  };
}

let ses: Server;
const received: Received[] = [];
let t: TestApp;

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

beforeAll(async () => {
  ses = createServer((req, res) => {
    void readBody(req).then((text) => {
      received.push({
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(text) as Received['body'],
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ MessageId: `m-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
  const { port } = ses.address() as AddressInfo;
  // The SDK signs with the default credential chain; static ones in the environment are the first link.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTSES';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  t = await buildTestApp(
    { SES_FROM: 'no-reply@tenantry.test', SES_REGION: 'eu-west-1', SES_ENDPOINT: `http://127.0.0.1:${port}` },
    { worker: true },
  );
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => ses.close(resolve));
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
});

describe('e-mail through SES', () => {
  it('sends an invitation with SendEmail, signed, from SES_FROM, with the accept link; no development mailbox', async () => {
    const { user, tenant } = await ownerWithTenant(t.app, 'Mailed Clinic');
    const email = uniqueEmail('ses');
    const res = await call(
      t.app,
      'mutation',
      'members.invite',
      { email, role: 'member' },
      {
        token: user.tokens.accessToken,
        headers: tenantHeader(tenant.id),
      },
    );
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.path).toBe('/v2/email/outbound-emails');
    expect(mail?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTESTSES\/\d{8}\/eu-west-1\/ses\/aws4_request/,
    );
    expect(mail?.body.FromEmailAddress).toBe('no-reply@tenantry.test');
    expect(mail?.body.Destination?.ToAddresses).toEqual([email]);
    expect(mail?.body.Content?.Simple?.Subject?.Data).toBe('You are invited to Mailed Clinic on Tenantry');
    expect(mail?.body.Content?.Simple?.Body?.Text?.Data).toMatch(/\/invitations\/accept\?token=[A-Za-z0-9_-]{43}/);

    expect((await call(t.app, 'query', 'dev.mailbox')).status).toBe(404);
  });
});
