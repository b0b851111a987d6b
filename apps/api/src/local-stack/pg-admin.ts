import pg from 'pg';

export async function withPgClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a dropped admin connection must not crash the launcher
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `url` with another database name (same server and credentials). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Creates `database` on the server of `url` (connected through its maintenance database) unless it exists. */
export async function ensureDatabase(url: string, database: string): Promise<boolean> {
  return withPgClient(withDatabase(url, 'postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rows.length > 0) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    return true;
  });
}

export async function dropDatabase(url: string, database: string): Promise<void> {
  await withPgClient(withDatabase(url, 'postgres'), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  });
}
