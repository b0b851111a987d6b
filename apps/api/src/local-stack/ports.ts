import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Whether `port` can be bound on 127.0.0.1 right now (the stand-ins bind nothing else). */
export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port the kernel considers free on 127.0.0.1. */
function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: LOOPBACK, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not read the probe port'))));
    });
  });
}

/**
 * The remembered port when it is still free (so URLs and the token issuer survive restarts),
 * otherwise a fresh one; never one of `reserved` (ports chosen for other parts or launchers).
 */
export async function pickPort(remembered: number | undefined, reserved: ReadonlySet<number>): Promise<number> {
  if (remembered && !reserved.has(remembered) && (await isPortFree(remembered))) return remembered;
  for (;;) {
    const port = await ephemeralPort();
    if (!reserved.has(port)) return port;
  }
}
