import type { FileModel, FilePage, PresignedUpload } from '@tenantry/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useState } from 'react';
import { MemoryRouter } from 'react-router';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FilesPage } from './FilesPage';

const GB = 1024 ** 3;
const ME = '11111111-1111-4111-8111-111111111111';
const FILE_A = '22222222-2222-4222-8222-222222222222';
const FILE_NEW = '33333333-3333-4333-8333-333333333333';

const mocks = vi.hoisted(() => ({
  role: 'owner',
  list: vi.fn(),
  current: vi.fn(),
  calls: {
    createUpload: vi.fn(),
    completeUpload: vi.fn(),
    delete: vi.fn(),
    getDownloadUrl: vi.fn(),
  },
  invalidate: { list: vi.fn(), current: vi.fn() },
}));

interface MutationOptions {
  onSuccess?: (data: unknown) => void;
  onError?: (error: unknown) => void;
}

/** A stand-in for tRPC's `useMutation` that runs `call` and reports like TanStack Query does. */
function fakeMutation(call: (input: unknown) => Promise<unknown>) {
  return function useFakeMutation(options: MutationOptions = {}) {
    const [state, setState] = useState<{ isPending: boolean; error: unknown }>({ isPending: false, error: null });
    const mutateAsync = async (input: unknown) => {
      setState({ isPending: true, error: null });
      try {
        const data = await call(input);
        setState({ isPending: false, error: null });
        options.onSuccess?.(data);
        return data;
      } catch (error) {
        setState({ isPending: false, error });
        options.onError?.(error);
        throw error;
      }
    };
    return {
      ...state,
      isError: state.error !== null,
      reset: () => setState({ isPending: false, error: null }),
      mutateAsync,
      mutate: (input: unknown, once: MutationOptions = {}) =>
        void mutateAsync(input).then(
          (data) => once.onSuccess?.(data),
          (error: unknown) => once.onError?.(error),
        ),
    };
  };
}

vi.mock('../../lib/trpc', () => ({
  trpc: {
    useUtils: () => ({
      files: {
        list: { invalidate: mocks.invalidate.list },
        getDownloadUrl: { fetch: mocks.calls.getDownloadUrl },
      },
      tenants: { current: { invalidate: mocks.invalidate.current } },
    }),
    tenants: { current: { useQuery: mocks.current } },
    files: {
      list: { useInfiniteQuery: mocks.list },
      createUpload: { useMutation: fakeMutation((input) => mocks.calls.createUpload(input) as Promise<unknown>) },
      completeUpload: { useMutation: fakeMutation((input) => mocks.calls.completeUpload(input) as Promise<unknown>) },
      delete: { useMutation: fakeMutation((input) => mocks.calls.delete(input) as Promise<unknown>) },
    },
  },
  appCodeOf: (error: unknown) => (error as { data?: { appCode?: string } } | null)?.data?.appCode,
  isTrpcClientError: (error: unknown) => (error as { data?: unknown } | null)?.data !== undefined,
}));

vi.mock('../tenants/TenantStates', () => ({
  RequireTenant: ({ children }: { children: (tenant: object) => unknown }) =>
    children({ state: 'ready', id: 't1', name: 'Acme', role: mocks.role, viaSuperadmin: false }),
}));

/** An error as the tRPC client raises it for an AppError. */
const apiError = (message: string, httpStatus: number, appCode: string, details: object | null = null) =>
  Object.assign(new Error(message), { data: { httpStatus, appCode, details } });

const fileModel = (patch: Partial<FileModel>): FileModel => ({
  id: FILE_A,
  name: 'plan.pdf',
  size: 1536,
  contentType: 'application/pdf',
  status: 'ready',
  uploadedBy: ME,
  uploadedByEmail: 'olga@example.com',
  createdAt: '2026-11-20T10:00:00.000Z',
  completedAt: '2026-11-20T10:00:01.000Z',
  ...patch,
});

function answerList(page: Partial<FilePage> | null) {
  mocks.list.mockReturnValue({
    isPending: page === null,
    isError: false,
    error: null,
    isFetching: false,
    hasNextPage: false,
    isFetchingNextPage: false,
    fetchNextPage: vi.fn(),
    refetch: vi.fn(),
    data: page
      ? { pages: [{ items: [fileModel({})], nextCursor: null, ...page }], pageParams: [undefined] }
      : undefined,
  });
}

/** `tenants.current` as the page reads it: the storage in use and the plan's limit (every role reads it). */
const currentOf = (storageBytes: number, limit: number | null = 10 * GB) => ({
  isPending: false,
  isError: false,
  error: null,
  data: { storageBytes, limits: { maxUsers: 100, storageBytes: limit, apiRequestsPerDay: 1000 } },
});

function answerCurrent(answer: ReturnType<typeof currentOf>) {
  mocks.current.mockImplementation(() => answer);
}

// The storage the browser posts to: a local HTTP server answering as S3 does.
let storage: Server;
let storageUrl: string;
let storageAnswer: { status: number; body: string; delayMs: number } = { status: 204, body: '', delayMs: 0 };
const posted: string[] = [];

beforeAll(async () => {
  storage = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') return void res.end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posted.push(Buffer.concat(chunks).toString('latin1'));
      setTimeout(() => {
        res.statusCode = storageAnswer.status;
        res.end(storageAnswer.body);
      }, storageAnswer.delayMs);
    });
  });
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
  storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}/tenantry`;
});

afterAll(async () => {
  storage.closeAllConnections();
  await new Promise((resolve) => storage.close(resolve));
});

const presigned = (name: string, size: number, contentType: string): PresignedUpload => ({
  file: fileModel({ id: FILE_NEW, name, size, contentType, status: 'pending', completedAt: null }),
  url: storageUrl,
  method: 'POST',
  fields: { key: `t1/${FILE_NEW}/${name}`, 'Content-Type': contentType, Policy: 'policy' },
  expiresAt: '2026-11-23T23:00:00.000Z',
});

beforeEach(() => {
  mocks.role = 'owner';
  mocks.list.mockReset();
  mocks.current.mockReset();
  answerCurrent(currentOf(2 * GB));
  for (const fn of [...Object.values(mocks.calls), ...Object.values(mocks.invalidate)]) fn.mockReset();
  mocks.calls.createUpload.mockImplementation((input: { name: string; size: number; contentType: string }) =>
    Promise.resolve(presigned(input.name, input.size, input.contentType)),
  );
  mocks.calls.completeUpload.mockResolvedValue(fileModel({ id: FILE_NEW }));
  mocks.calls.delete.mockResolvedValue({ id: FILE_A });
  storageAnswer = { status: 204, body: '', delayMs: 0 };
  posted.length = 0;
  answerList({});
});
afterEach(cleanup);

const renderPage = () =>
  render(
    <MemoryRouter>
      <FilesPage />
    </MemoryRouter>,
  );

const choose = (...files: File[]) => fireEvent.change(screen.getByTestId('file-input'), { target: { files } });

const uploadRow = (name: string) => screen.getAllByTestId('upload-row').find((r) => r.textContent?.includes(name))!;

describe('FilesPage', () => {
  it('lists the files with size, type, uploader and date, and the storage against the plan', () => {
    renderPage();
    const row = screen.getByTestId('file-row');
    expect(row.textContent).toContain('plan.pdf');
    expect(row.textContent).toContain('1.5 KB');
    expect(row.textContent).toContain('PDF');
    expect(row.textContent).toContain('olga@example.com');
    expect(within(row).getByRole('button', { name: 'Download plan.pdf' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Delete plan.pdf' })).toBeTruthy();
    expect(screen.getByTestId('quota-storage').textContent).toContain('2 GB / 10 GB · 20 %');
    expect(screen.getByRole('meter', { name: 'Storage' }).getAttribute('aria-valuenow')).toBe('20');
    expect(screen.getByRole('button', { name: 'Choose files' })).toBeTruthy();
  });

  it('shows viewers the list, downloads and the storage in use, without uploading or deleting', () => {
    mocks.role = 'viewer';
    renderPage();
    expect(screen.queryByTestId('dropzone')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Download plan.pdf' })).toBeTruthy();
    expect(screen.getByTestId('quota-storage').textContent).toContain('2 GB / 10 GB · 20 %');
  });

  it('uploads a chosen file with a progress bar, confirms it, and refreshes the list and the storage', async () => {
    renderPage();
    choose(new File(['x'.repeat(200_000)], 'report.csv', { type: 'text/csv' }));
    const row = uploadRow('report.csv');
    expect(within(row).getByRole('progressbar', { name: 'Upload of report.csv' })).toBeTruthy();
    await vi.waitFor(() => expect(uploadRow('report.csv').dataset.status).toBe('done'));
    expect(mocks.calls.createUpload).toHaveBeenCalledWith({
      name: 'report.csv',
      size: 200_000,
      contentType: 'text/csv',
    });
    expect(mocks.calls.completeUpload).toHaveBeenCalledWith({ id: FILE_NEW });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.indexOf('name="Policy"')).toBeLessThan(posted[0]!.indexOf('name="file"'));
    expect(within(uploadRow('report.csv')).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(mocks.invalidate.list).toHaveBeenCalled();
    expect(mocks.invalidate.current).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Clear finished' }));
    expect(screen.queryByTestId('upload-row')).toBeNull();
  });

  it('takes dropped files, with a visible hover state while dragging', async () => {
    renderPage();
    const zone = screen.getByTestId('dropzone');
    const file = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(zone.dataset.hover).toBe('true');
    expect(zone.textContent).toContain('Drop to upload');
    fireEvent.drop(zone, { dataTransfer });
    expect(zone.dataset.hover).toBe('false');
    await vi.waitFor(() => expect(uploadRow('notes.txt').dataset.status).toBe('done'));
  });

  it("shows the API's refusal, without Retry when the file itself is refused", async () => {
    mocks.calls.createUpload.mockRejectedValue(
      apiError(
        'Files of type application/x-msdownload cannot be uploaded here; allowed: image/*, application/pdf',
        400,
        'FILE_TYPE_NOT_ALLOWED',
        { contentType: 'application/x-msdownload', allowed: ['image/*', 'application/pdf'] },
      ),
    );
    renderPage();
    choose(new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' }));
    await vi.waitFor(() => expect(uploadRow('setup.exe').dataset.status).toBe('failed'));
    const row = uploadRow('setup.exe');
    expect(within(row).getByRole('alert').textContent).toBe(
      'Files of type application/x-msdownload cannot be uploaded here. Allowed: images, PDF.',
    );
    expect(within(row).queryByRole('button', { name: 'Retry setup.exe' })).toBeNull();
    expect(posted).toHaveLength(0);
  });

  it('shows a too-big refusal as the API words it', async () => {
    mocks.calls.createUpload.mockRejectedValue(
      apiError('This file (2 GB) is larger than the 1 GB a file may be', 400, 'FILE_TOO_LARGE'),
    );
    renderPage();
    choose(new File(['x'], 'huge.zip', { type: 'application/zip' }));
    await vi.waitFor(() => expect(uploadRow('huge.zip').dataset.status).toBe('failed'));
    expect(uploadRow('huge.zip').textContent).toContain('This file (2 GB) is larger than the 1 GB a file may be');
    expect(within(uploadRow('huge.zip')).queryByRole('button', { name: 'Retry huge.zip' })).toBeNull();
  });

  it('offers Retry after a quota refusal, and the retry uploads', async () => {
    mocks.calls.createUpload.mockRejectedValueOnce(
      apiError('This upload would exceed the plan’s 10 GB of storage.', 403, 'PLAN_LIMIT'),
    );
    renderPage();
    choose(new File(['data'], 'big.zip', { type: 'application/zip' }));
    await vi.waitFor(() => expect(uploadRow('big.zip').dataset.status).toBe('failed'));
    expect(uploadRow('big.zip').textContent).toContain('would exceed the plan’s 10 GB');
    fireEvent.click(within(uploadRow('big.zip')).getByRole('button', { name: 'Retry big.zip' }));
    await vi.waitFor(() => expect(uploadRow('big.zip').dataset.status).toBe('done'));
    expect(mocks.calls.createUpload).toHaveBeenCalledTimes(2);
  });

  it("shows the storage's XML refusal in words and does not confirm the upload", async () => {
    storageAnswer = {
      status: 400,
      body: '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>',
      delayMs: 0,
    };
    renderPage();
    choose(new File(['data'], 'a.txt', { type: 'text/plain' }));
    await vi.waitFor(() => expect(uploadRow('a.txt').dataset.status).toBe('failed'));
    expect(uploadRow('a.txt').textContent).toContain('bigger than the size announced');
    expect(mocks.calls.completeUpload).not.toHaveBeenCalled();
  });

  it('cancels an upload in flight and can start it again', async () => {
    storageAnswer = { status: 204, body: '', delayMs: 3000 };
    renderPage();
    choose(new File(['data'], 'slow.txt', { type: 'text/plain' }));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    fireEvent.click(within(uploadRow('slow.txt')).getByRole('button', { name: 'Cancel slow.txt' }));
    expect(uploadRow('slow.txt').dataset.status).toBe('cancelled');
    expect(uploadRow('slow.txt').textContent).toContain('Cancelled');
    expect(mocks.calls.completeUpload).not.toHaveBeenCalled();
    storageAnswer = { status: 204, body: '', delayMs: 0 };
    fireEvent.click(within(uploadRow('slow.txt')).getByRole('button', { name: 'Retry slow.txt' }));
    await vi.waitFor(() => expect(uploadRow('slow.txt').dataset.status).toBe('done'));
  });

  it('refuses an empty file or one bigger than the storage left before sending anything', () => {
    answerCurrent(currentOf(10 * GB - 100));
    renderPage();
    choose(new File([], 'empty.txt', { type: 'text/plain' }), new File(['x'.repeat(500)], 'five.txt'));
    expect(uploadRow('empty.txt').textContent).toContain('This file is empty');
    expect(uploadRow('five.txt').textContent).toContain(
      'Not enough storage left on the plan: 500 B needed, 100 B free.',
    );
    expect(mocks.calls.createUpload).not.toHaveBeenCalled();
  });

  it('downloads through a fresh presigned link', async () => {
    const assign = vi.fn();
    const original = window.location;
    Object.defineProperty(window, 'location', { configurable: true, value: { ...original, assign } });
    try {
      mocks.calls.getDownloadUrl.mockResolvedValue({
        url: `${storageUrl}/plan.pdf?sig=1`,
        expiresAt: '2026-11-23T23:00:00.000Z',
      });
      renderPage();
      fireEvent.click(screen.getByRole('button', { name: 'Download plan.pdf' }));
      await vi.waitFor(() => expect(assign).toHaveBeenCalledWith(`${storageUrl}/plan.pdf?sig=1`));
      expect(mocks.calls.getDownloadUrl.mock.calls[0]?.[0]).toEqual({ id: FILE_A });
    } finally {
      Object.defineProperty(window, 'location', { configurable: true, value: original });
    }
  });

  it('deletes a file after confirmation and refreshes the list and storage', async () => {
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Delete plan.pdf' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete file', hidden: true }));
    await vi.waitFor(() => expect(mocks.invalidate.list).toHaveBeenCalled());
    expect(mocks.calls.delete).toHaveBeenCalledWith({ id: FILE_A });
    expect(mocks.invalidate.current).toHaveBeenCalled();
  });

  it('filters by name and type, sorts, and says when nothing matches', () => {
    answerList({ items: [] });
    renderPage();
    expect(screen.getByText('No files yet')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search files'), { target: { value: ' plan ' } });
    fireEvent.change(screen.getByLabelText('Filter by type'), { target: { value: 'image/' } });
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'largest' } });
    expect(screen.getByText('No file matches')).toBeTruthy();
    expect(mocks.list).toHaveBeenLastCalledWith(
      { search: 'plan', type: 'image/', sort: 'largest', limit: 50 },
      expect.objectContaining({ getNextPageParam: expect.any(Function) as unknown }),
    );
  });
});
