import { describe, expect, it } from 'vitest';
import {
  canCancel,
  canRetry,
  nextToStart,
  uploadPercent,
  uploadQueue,
  uploadStatusText,
  type UploadAction,
  type UploadItem,
} from './upload-queue';

const FILE_ID = '55555555-5555-4555-8555-555555555555';

const run = (actions: UploadAction[], from: UploadItem[] = []): UploadItem[] => actions.reduce(uploadQueue, from);

const added = (...keys: string[]): UploadItem[] =>
  run([
    {
      type: 'add',
      uploads: keys.map((key) => ({ key, name: `${key}.pdf`, size: 1000, contentType: 'application/pdf' })),
    },
  ]);

const only = (state: UploadItem[], key = 'a'): UploadItem => state.find((item) => item.key === key)!;

describe('uploadQueue', () => {
  it('goes queued → uploading → completing → done, tracking the bytes sent', () => {
    let state = added('a');
    expect(only(state).status).toBe('queued');
    state = run([{ type: 'start', key: 'a' }], state);
    expect(only(state).status).toBe('uploading');
    state = run(
      [
        { type: 'created', key: 'a', fileId: FILE_ID },
        { type: 'progress', key: 'a', loaded: 250 },
      ],
      state,
    );
    expect(only(state)).toMatchObject({ fileId: FILE_ID, loaded: 250 });
    expect(uploadPercent(only(state))).toBe(25);
    expect(uploadStatusText(only(state))).toBe('Uploading… 25 %');
    state = run([{ type: 'sent', key: 'a' }], state);
    expect(only(state)).toMatchObject({ status: 'completing', loaded: 1000 });
    expect(uploadStatusText(only(state))).toBe('Checking the upload…');
    state = run([{ type: 'done', key: 'a' }], state);
    expect(only(state).status).toBe('done');
    expect(uploadPercent(only(state))).toBe(100);
  });

  it('never shows 100 % before every byte is sent, nor progress going backwards', () => {
    let state = run([{ type: 'start', key: 'a' }], added('a'));
    state = run([{ type: 'progress', key: 'a', loaded: 999 }], state);
    expect(uploadPercent(only(state))).toBe(99);
    state = run([{ type: 'progress', key: 'a', loaded: 500 }], state);
    expect(only(state).loaded).toBe(999);
    // Multipart framing makes the request body bigger than the file: progress stays within the file.
    state = run([{ type: 'progress', key: 'a', loaded: 1400 }], state);
    expect(only(state).loaded).toBe(1000);
    expect(uploadPercent(only(state))).toBe(99);
  });

  it('fails with a message, retryable or not, and retries from zero', () => {
    let state = run(
      [
        { type: 'start', key: 'a' },
        { type: 'progress', key: 'a', loaded: 600 },
        { type: 'fail', key: 'a', error: 'The storage server could not be reached.', retryable: true },
      ],
      added('a'),
    );
    expect(only(state)).toMatchObject({ status: 'failed', error: 'The storage server could not be reached.' });
    expect(uploadStatusText(only(state))).toBe('The storage server could not be reached.');
    expect(canRetry(only(state))).toBe(true);
    state = run([{ type: 'retry', key: 'a' }], state);
    expect(only(state)).toMatchObject({ status: 'queued', loaded: 0, error: null, fileId: null });

    state = run(
      [
        { type: 'start', key: 'a' },
        { type: 'fail', key: 'a', error: 'Files of this type cannot be uploaded.', retryable: false },
      ],
      state,
    );
    expect(canRetry(only(state))).toBe(false);
    expect(run([{ type: 'retry', key: 'a' }], state)).toBe(state);
  });

  it('cancels a queued or uploading file, ignores its late events, and can queue it again', () => {
    let state = run(
      [
        { type: 'start', key: 'a' },
        { type: 'progress', key: 'a', loaded: 100 },
        { type: 'cancel', key: 'a' },
      ],
      added('a', 'b'),
    );
    expect(only(state).status).toBe('cancelled');
    // The aborted request's last progress and its failure arrive after the cancel: nothing changes.
    const after = run(
      [
        { type: 'progress', key: 'a', loaded: 900 },
        { type: 'fail', key: 'a', error: 'aborted', retryable: true },
        { type: 'sent', key: 'a' },
      ],
      state,
    );
    expect(after).toBe(state);
    state = run([{ type: 'cancel', key: 'b' }], state);
    expect(only(state, 'b').status).toBe('cancelled');
    expect(canRetry(only(state))).toBe(true);
    state = run([{ type: 'retry', key: 'a' }], state);
    expect(only(state)).toMatchObject({ status: 'queued', loaded: 0 });
  });

  it('does not cancel once the bytes are sent, nor a finished upload', () => {
    const completing = run(
      [
        { type: 'start', key: 'a' },
        { type: 'sent', key: 'a' },
      ],
      added('a'),
    );
    expect(canCancel(only(completing))).toBe(false);
    expect(run([{ type: 'cancel', key: 'a' }], completing)).toBe(completing);
    const done = run([{ type: 'done', key: 'a' }], completing);
    expect(run([{ type: 'cancel', key: 'a' }], done)).toBe(done);
    expect(run([{ type: 'fail', key: 'a', error: 'late', retryable: true }], done)).toBe(done);
  });

  it('shows files refused before sending as failed, not retryable', () => {
    const state = run([
      {
        type: 'add',
        uploads: [{ key: 'e', name: 'empty.txt', size: 0, contentType: 'text/plain', rejected: 'This file is empty.' }],
      },
    ]);
    expect(only(state, 'e')).toMatchObject({ status: 'failed', error: 'This file is empty.', retryable: false });
    expect(nextToStart(state)).toEqual([]);
  });

  it('dismisses finished rows one by one or together, never a running one', () => {
    let state = run(
      [
        { type: 'start', key: 'a' },
        { type: 'sent', key: 'a' },
        { type: 'done', key: 'a' },
        { type: 'start', key: 'b' },
        { type: 'cancel', key: 'c' },
      ],
      added('a', 'b', 'c', 'd'),
    );
    state = run([{ type: 'dismiss', key: 'b' }], state);
    expect(state.map((i) => i.key)).toEqual(['a', 'b', 'c', 'd']);
    state = run([{ type: 'dismiss', key: 'a' }], state);
    expect(state.map((i) => i.key)).toEqual(['b', 'c', 'd']);
    state = run([{ type: 'clearFinished' }], state);
    expect(state.map((i) => i.key)).toEqual(['b', 'd']);
  });
});

describe('nextToStart', () => {
  it('starts the oldest queued files up to the parallel limit', () => {
    let state = added('a', 'b', 'c', 'd', 'e');
    expect(nextToStart(state, 3).map((i) => i.key)).toEqual(['a', 'b', 'c']);
    state = run(
      [
        { type: 'start', key: 'a' },
        { type: 'start', key: 'b' },
        { type: 'sent', key: 'b' },
      ],
      state,
    );
    expect(nextToStart(state, 3).map((i) => i.key)).toEqual(['c']);
    state = run([{ type: 'start', key: 'c' }], state);
    expect(nextToStart(state, 3)).toEqual([]);
  });
});
