import type { PresignedUpload } from '@tenantry/shared';

/** A refused or broken upload to the storage server, with a sentence for the user. */
export class StorageUploadError extends Error {
  readonly retryable: boolean;
  /** S3's error code (`EntityTooLarge`, `AccessDenied`…), when it sent one. */
  readonly code: string | null;
  constructor(message: string, retryable: boolean, code: string | null = null) {
    super(message);
    this.name = 'StorageUploadError';
    this.retryable = retryable;
    this.code = code;
  }
}

function xmlText(body: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body);
  return match?.[1]?.trim() || null;
}

/** S3 answers errors as XML (`<Error><Code>…</Code><Message>…</Message></Error>`): a sentence and whether to retry. */
export function describeStorageError(status: number, body: string): StorageUploadError {
  const code = xmlText(body, 'Code');
  const detail = xmlText(body, 'Message');
  switch (code) {
    case 'EntityTooLarge':
      return new StorageUploadError('The storage refused the file: it is bigger than the size announced.', false, code);
    case 'EntityTooSmall':
      return new StorageUploadError(
        'The storage refused the file: it is smaller than the size announced.',
        false,
        code,
      );
    case 'InvalidPolicyDocument':
    case 'AccessDenied':
    case 'SignatureDoesNotMatch':
      // An expired upload link is refused the same way: asking for a new one (a retry) is worth it.
      if (detail && /expire/i.test(detail)) {
        return new StorageUploadError('The upload link expired before the file was sent. Try again.', true, code);
      }
      return new StorageUploadError(
        `The storage refused the upload${detail ? ` (${detail.replace(/\.$/, '')})` : ''}. The file may have changed since it was chosen.`,
        false,
        code,
      );
    case 'RequestTimeout':
    case 'SlowDown':
    case 'ServiceUnavailable':
    case 'InternalError':
      return new StorageUploadError('The storage was too busy to take the file. Try again in a moment.', true, code);
    default:
      if (status >= 500 || status === 0) {
        return new StorageUploadError('The storage had a problem taking the file. Try again in a moment.', true, code);
      }
      return new StorageUploadError(
        `The storage refused the upload (${[status, code, detail].filter(Boolean).join(', ')}).`,
        false,
        code,
      );
  }
}

/** Raised when the caller aborted the upload (Cancel). */
export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

export interface SendOptions {
  /** Bytes of the request body sent so far (upload progress events). */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Sends a file with a presigned POST: the policy fields first, then the file as the field `file`.
 * XMLHttpRequest, not fetch: only it reports upload progress.
 */
export function sendToStorage(
  upload: Pick<PresignedUpload, 'url' | 'fields'>,
  file: Blob,
  { onProgress, signal }: SendOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', file);

    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const settle = () => signal?.removeEventListener('abort', abort);

    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () => {
      settle();
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(describeStorageError(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => {
      settle();
      // The browser hides why (offline, refused, or a CORS answer it will not show).
      reject(
        new StorageUploadError(
          'The storage server could not be reached. Check your connection and try again.',
          true,
          null,
        ),
      );
    };
    xhr.onabort = () => {
      settle();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.open('POST', upload.url);
    xhr.send(form);
  });
}
