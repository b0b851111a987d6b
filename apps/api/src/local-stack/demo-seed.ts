import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DemoUser } from './cognito-provision.js';

/** Marks a data folder whose demo organisation exists, so later starts leave it as the user left it. */
const MARKER = 'demo-seeded';

const DEMO_PROJECTS = [
  { name: 'Cardiology ward refit', description: 'New monitors and beds for ward 3B.' },
  { name: 'Night-shift rota', description: 'Rota tool for nurses, replacing the spreadsheet.' },
  { name: 'Patient portal pilot', description: 'Appointment booking for outpatients.' },
];

interface SeedInput {
  dataDir: string;
  apiUrl: string;
  owner: DemoUser;
  cognito: { region: string; endpoint: string; clientId: string };
}

async function trpc<T>(
  apiUrl: string,
  token: string,
  kind: 'query' | 'mutation',
  path: string,
  input: unknown,
  tenant?: string,
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (tenant) headers['x-tenant-id'] = tenant;
  const url =
    kind === 'query'
      ? `${apiUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `${apiUrl}/trpc/${path}`;
  const res = await fetch(url, {
    method: kind === 'query' ? 'GET' : 'POST',
    headers,
    ...(kind === 'mutation' ? { body: JSON.stringify(input) } : {}),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !body.result) throw new Error(`${path}: ${body.error?.message ?? res.status}`);
  return body.result.data;
}

/**
 * On the first `pnpm dev` of a data folder, gives the demo owner an organisation with a few projects,
 * through the API's own procedures (the same path a user takes in the SPA).
 */
export async function seedDemoOrganisation(input: SeedInput): Promise<string | undefined> {
  const marker = join(input.dataDir, MARKER);
  if (
    await access(marker).then(
      () => true,
      () => false,
    )
  )
    return undefined;
  const client = new CognitoIdentityProviderClient({
    region: input.cognito.region,
    endpoint: input.cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let token: string;
  try {
    const auth = await client.send(
      new InitiateAuthCommand({
        ClientId: input.cognito.clientId,
        AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
        AuthParameters: { USERNAME: input.owner.email, PASSWORD: input.owner.password },
      }),
    );
    token = auth.AuthenticationResult?.AccessToken ?? '';
  } finally {
    client.destroy();
  }
  const created = await trpc<{ id: string }>(input.apiUrl, token, 'mutation', 'tenants.create', {
    name: 'Demo Hospital',
    slug: 'demo-hospital',
  });
  for (let i = 0; ; i++) {
    const status = await trpc<{ status: string; error: string | null }>(
      input.apiUrl,
      token,
      'query',
      'tenants.status',
      {
        id: created.id,
      },
    );
    if (status.status === 'ready') break;
    if (status.status === 'failed' || i > 300)
      throw new Error(`the demo organisation is ${status.status}: ${status.error}`);
    await sleep(100);
  }
  await trpc(input.apiUrl, token, 'mutation', 'tenants.switch', { id: created.id });
  // Premium: a day of clicking around stays under its 10,000 requests, and its features are on show.
  await trpc(input.apiUrl, token, 'mutation', 'tenants.changePlan', { plan: 'premium' }, created.id);
  for (const project of DEMO_PROJECTS) {
    await trpc(input.apiUrl, token, 'mutation', 'projects.create', project, created.id);
  }
  await writeFile(marker, `${created.id}\n`);
  return 'Demo Hospital';
}
