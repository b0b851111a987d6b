/**
 * The uploads of the files page, as a pure state machine:
 * queued → uploading (bytes sent) → completing (the API confirms) → done, or failed (with a message, maybe
 * retryable) or cancelled. A failed-retryable or cancelled upload can be queued again.
 */

export type UploadStatus = 'queued' | 'uploading' | 'completing' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  /** Local key of this upload (a file chosen twice is two uploads). */
  key: string;
  name: string;
  size: number;
  contentType: string;
  status: UploadStatus;
  /** Bytes sent so far (the upload's progress events). */
  loaded: number;
  /** Why it failed, in a sentence for the user. */
  error: string | null;
  /** Whether trying again may work (a network error, yes; a type not allowed, no). */
  retryable: boolean;
  /** The API's id once `createUpload` answered. */
  fileId: string | null;
}

export interface NewUpload {
  key: string;
  name: string;
  size: number;
  contentType: string;
  /** A client-side check already failed: the upload is shown failed at once, never sent. */
  rejected?: string | null;
}

export type UploadAction =
  | { type: 'add'; uploads: readonly NewUpload[] }
  | { type: 'start'; key: string }
  | { type: 'created'; key: string; fileId: string }
  | { type: 'progress'; key: string; loaded: number }
  | { type: 'sent'; key: string }
  | { type: 'done'; key: string }
  | { type: 'fail'; key: string; error: string; retryable: boolean }
  | { type: 'cancel'; key: string }
  | { type: 'retry'; key: string }
  | { type: 'dismiss'; key: string }
  | { type: 'clearFinished' };

/** Statuses in which an upload is still running or waiting to. */
const ACTIVE: readonly UploadStatus[] = ['queued', 'uploading', 'completing'];

export const isActive = (item: UploadItem): boolean => ACTIVE.includes(item.status);

/** Whether the user can stop it: only before the bytes are all sent (completion is the API's, and quick). */
export const canCancel = (item: UploadItem): boolean => item.status === 'queued' || item.status === 'uploading';

export const canRetry = (item: UploadItem): boolean =>
  item.status === 'cancelled' || (item.status === 'failed' && item.retryable);

function update(
  state: readonly UploadItem[],
  key: string,
  when: (item: UploadItem) => boolean,
  patch: (item: UploadItem) => Partial<UploadItem>,
): UploadItem[] {
  let changed = false;
  const next = state.map((item) => {
    if (item.key !== key || !when(item)) return item;
    changed = true;
    return { ...item, ...patch(item) };
  });
  // Late events (a progress after a cancel, a success after an abort) leave the state as it was.
  return changed ? next : (state as UploadItem[]);
}

const is =
  (...statuses: UploadStatus[]) =>
  (item: UploadItem) =>
    statuses.includes(item.status);

export function uploadQueue(state: readonly UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case 'add':
      return [
        ...state,
        ...action.uploads.map((u): UploadItem => ({
          key: u.key,
          name: u.name,
          size: u.size,
          contentType: u.contentType,
          status: u.rejected ? 'failed' : 'queued',
          loaded: 0,
          error: u.rejected ?? null,
          retryable: false,
          fileId: null,
        })),
      ];
    case 'start':
      return update(state, action.key, is('queued'), () => ({ status: 'uploading', loaded: 0, error: null }));
    case 'created':
      return update(state, action.key, is('uploading'), () => ({ fileId: action.fileId }));
    case 'progress':
      return update(state, action.key, is('uploading'), (item) => ({
        loaded: Math.min(item.size, Math.max(item.loaded, action.loaded)),
      }));
    case 'sent':
      return update(state, action.key, is('uploading'), (item) => ({ status: 'completing', loaded: item.size }));
    case 'done':
      return update(state, action.key, is('completing'), (item) => ({ status: 'done', loaded: item.size }));
    case 'fail':
      return update(state, action.key, is('uploading', 'completing'), () => ({
        status: 'failed',
        error: action.error,
        retryable: action.retryable,
      }));
    case 'cancel':
      return update(state, action.key, canCancel, () => ({ status: 'cancelled', error: null }));
    case 'retry':
      return update(state, action.key, canRetry, () => ({
        status: 'queued',
        loaded: 0,
        error: null,
        retryable: false,
        fileId: null,
      }));
    case 'dismiss':
      return state.filter((item) => item.key !== action.key || isActive(item));
    case 'clearFinished':
      return state.filter(isActive);
  }
}

/** Uploads to start now so that at most `parallel` run at once, oldest first. */
export function nextToStart(state: readonly UploadItem[], parallel = 3): UploadItem[] {
  const running = state.filter(is('uploading', 'completing')).length;
  return state.filter(is('queued')).slice(0, Math.max(0, parallel - running));
}

/** Progress of one upload, 0–100, rounded down (100 only once every byte is sent). */
export function uploadPercent(item: Pick<UploadItem, 'loaded' | 'size' | 'status'>): number {
  if (item.status === 'completing' || item.status === 'done') return 100;
  if (item.size <= 0) return 0;
  return Math.min(99, Math.floor((item.loaded / item.size) * 100));
}

/** What the row says besides the bar. */
export function uploadStatusText(item: UploadItem): string {
  switch (item.status) {
    case 'queued':
      return 'Waiting…';
    case 'uploading':
      return `Uploading… ${uploadPercent(item)} %`;
    case 'completing':
      return 'Checking the upload…';
    case 'done':
      return 'Uploaded';
    case 'failed':
      return item.error ?? 'The upload failed.';
    case 'cancelled':
      return 'Cancelled';
  }
}
