import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStorageError, isAbort, sendToStorage, StorageUploadError } from './storage-upload';

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>1</RequestId></Error>`;

describe('describeStorageError', () => {
  it("turns S3's XML refusals into sentences, retryable when a new attempt may pass", () => {
    const big = describeStorageError(
      400,
      s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'),
    );
    expect(big.message).toBe('The storage refused the file: it is bigger than the size announced.');
    expect(big).toMatchObject({ retryable: false, code: 'EntityTooLarge' });

    const expired = describeStorageError(403, s3Error('AccessDenied', 'Invalid according to Policy: Policy expired.'));
    expect(expired).toMatchObject({
      retryable: true,
      message: 'The upload link expired before the file was sent. Try again.',
    });

    const type = describeStorageError(
      403,
      s3Error('AccessDenied', 'Invalid according to Policy: Policy Condition failed.'),
    );
    expect(type.retryable).toBe(false);
    expect(type.message).toBe(
      'The storage refused the upload (Invalid according to Policy: Policy Condition failed). The file may have changed since it was chosen.',
    );

    expect(describeStorageError(503, s3Error('SlowDown', 'Reduce your request rate.')).retryable).toBe(true);
    expect(describeStorageError(502, '<html>Bad gateway</html>')).toMatchObject({ retryable: true, code: null });
    expect(describeStorageError(409, '').message).toBe('The storage refused the upload (409).');
  });
});

/** What the stand-in storage received, by request. */
interface Received {
  contentType: string;
  body: string;
}

describe('sendToStorage (a real XMLHttpRequest to a local HTTP server)', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      // The page's origin differs from the storage's: the browser needs CORS, as from S3.
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST');
        res.end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          contentType: req.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('latin1'),
        });
        if (req.url === '/refuse') {
          res.statusCode = 400;
          res.setHeader('Content-Type', 'application/xml');
          res.end(s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
        } else if (req.url === '/slow') {
          setTimeout(() => res.end(), 5000);
        } else {
          res.statusCode = 204;
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the policy fields before the file, as S3 requires, and reports progress', async () => {
    const bytes = 'x'.repeat(256 * 1024);
    const progress: number[] = [];
    await sendToStorage(
      { url: `${base}/bucket`, fields: { key: 't/f/report.txt', 'Content-Type': 'text/plain', Policy: 'p' } },
      new Blob([bytes], { type: 'text/plain' }),
      { onProgress: (loaded) => progress.push(loaded) },
    );
    const last = received.at(-1)!;
    expect(last.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const order = ['name="key"', 'name="Content-Type"', 'name="Policy"', 'name="file"'].map((n) =>
      last.body.indexOf(n),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(last.body).toContain(bytes);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeGreaterThanOrEqual(bytes.length);
  });

  it("rejects with S3's refusal in words", async () => {
    const error = await sendToStorage({ url: `${base}/refuse`, fields: {} }, new Blob(['abc'])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUploadError);
    expect((error as StorageUploadError).code).toBe('EntityTooLarge');
  });

  it('rejects as retryable when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await sendToStorage({ url: `http://127.0.0.1:${port}/`, fields: {} }, new Blob(['abc'])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUploadError);
    expect((error as StorageUploadError).retryable).toBe(true);
  });

  it('stops when aborted (Cancel), with an AbortError', async () => {
    const controller = new AbortController();
    const sending = sendToStorage({ url: `${base}/slow`, fields: {} }, new Blob(['abc']), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const error = await sending.catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    const already = await sendToStorage({ url: `${base}/bucket`, fields: {} }, new Blob(['abc']), {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(isAbort(already)).toBe(true);
  });
});
