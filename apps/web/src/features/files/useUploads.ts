import { useCallback, useEffect, useReducer, useRef } from 'react';
import { describeError } from '../../lib/api-errors';
import { appCodeOf, isTrpcClientError, trpc } from '../../lib/trpc';
import { contentTypeOf, precheckUpload, typeRefusal } from './file-format';
import { isAbort, sendToStorage, StorageUploadError } from './storage-upload';
import { isActive, nextToStart, uploadQueue, type UploadItem } from './upload-queue';

/** Uploads sent at once; the rest wait their turn. */
const PARALLEL_UPLOADS = 3;

/** Whether asking again may succeed after the API refused: not for a bad name, type or size. */
function retryableApiError(error: unknown): boolean {
  if (appCodeOf(error) === 'PLAN_LIMIT') return true; // after deleting files, there may be room
  if (!isTrpcClientError(error)) return true;
  const status = error.data?.httpStatus;
  // 409: an unfinished upload (e.g. expired) — a retry asks for a new one.
  return status === undefined || status >= 500 || status === 408 || status === 409 || status === 429;
}

/** Why an upload failed, in a sentence; a refused type names what is allowed in words. */
function refusalMessage(error: unknown): string {
  if (appCodeOf(error) === 'FILE_TYPE_NOT_ALLOWED' && isTrpcClientError(error)) {
    const refusal = typeRefusal((error.data as { details?: unknown } | undefined)?.details);
    if (refusal) return refusal;
  }
  return describeError(error);
}

export interface Uploads {
  items: UploadItem[];
  /** Queues chosen or dropped files; those failing the early checks are shown failed at once. */
  add: (files: Iterable<File>) => void;
  cancel: (key: string) => void;
  retry: (key: string) => void;
  dismiss: (key: string) => void;
  clearFinished: () => void;
}

let nextKey = 0;

/**
 * The files page's uploads: ask the API for a presigned POST, send the file straight to the storage with
 * progress, then have the API confirm it. `storage` (when known) lets a file too big for the quota be
 * refused before anything is sent; the API decides in every case.
 */
export function useUploads(
  storage: { usedBytes: number; limitBytes: number | null } | null,
  onUploaded: () => void,
): Uploads {
  const [items, dispatch] = useReducer(uploadQueue, []);
  const files = useRef(new Map<string, File>());
  const running = useRef(new Map<string, AbortController>());
  const createUpload = trpc.files.createUpload.useMutation();
  const completeUpload = trpc.files.completeUpload.useMutation();
  const latest = useRef({ createUpload, completeUpload, onUploaded, storage, items });
  // Declared before the effect that starts uploads, so that one sees this render's values.
  useEffect(() => {
    latest.current = { createUpload, completeUpload, onUploaded, storage, items };
  });

  const start = useCallback((item: UploadItem) => {
    const file = files.current.get(item.key);
    if (!file || running.current.has(item.key)) return;
    const controller = new AbortController();
    const { signal } = controller;
    running.current.set(item.key, controller);
    dispatch({ type: 'start', key: item.key });
    // After Cancel, nothing this attempt learns may change the row: a retry is another attempt.
    const live = () => !signal.aborted;
    void (async () => {
      try {
        const upload = await latest.current.createUpload.mutateAsync({
          name: item.name,
          size: item.size,
          contentType: item.contentType,
        });
        if (!live()) return;
        dispatch({ type: 'created', key: item.key, fileId: upload.file.id });
        await sendToStorage(upload, file, {
          signal,
          onProgress: (loaded) => live() && dispatch({ type: 'progress', key: item.key, loaded }),
        });
        if (!live()) return;
        dispatch({ type: 'sent', key: item.key });
        await latest.current.completeUpload.mutateAsync({ id: upload.file.id });
        if (!live()) return;
        dispatch({ type: 'done', key: item.key });
        files.current.delete(item.key);
        latest.current.onUploaded();
      } catch (error) {
        if (!live() || isAbort(error)) return;
        const retryable = error instanceof StorageUploadError ? error.retryable : retryableApiError(error);
        dispatch({ type: 'fail', key: item.key, error: refusalMessage(error), retryable });
      } finally {
        if (running.current.get(item.key) === controller) running.current.delete(item.key);
      }
    })();
  }, []);

  useEffect(() => {
    for (const item of nextToStart(items, PARALLEL_UPLOADS)) start(item);
  }, [items, start]);

  // Leaving the page (or switching organisation) stops what is still sending.
  useEffect(() => {
    const controllers = running.current;
    return () => {
      for (const controller of controllers.values()) controller.abort();
      controllers.clear();
    };
  }, []);

  const add = useCallback((chosen: Iterable<File>) => {
    const uploads = [...chosen].map((file) => {
      const key = `upload-${++nextKey}`;
      files.current.set(key, file);
      return {
        key,
        name: file.name,
        size: file.size,
        contentType: contentTypeOf(file),
        rejected: precheckUpload(file, latest.current.storage),
      };
    });
    if (uploads.length) dispatch({ type: 'add', uploads });
  }, []);

  const cancel = useCallback((key: string) => {
    running.current.get(key)?.abort();
    running.current.delete(key);
    dispatch({ type: 'cancel', key });
  }, []);

  const retry = useCallback((key: string) => dispatch({ type: 'retry', key }), []);
  const dismiss = useCallback((key: string) => {
    files.current.delete(key);
    dispatch({ type: 'dismiss', key });
  }, []);
  const clearFinished = useCallback(() => {
    for (const item of latest.current.items) if (!isActive(item)) files.current.delete(item.key);
    dispatch({ type: 'clearFinished' });
  }, []);

  return { items, add, cancel, retry, dismiss, clearFinished };
}
