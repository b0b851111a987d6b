import { can, type FileModel, type Role } from '@tenantry/shared';
import { useDeferredValue, useId, useRef, useState, type DragEvent } from 'react';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState } from '../../components/ErrorState';
import { PagedList } from '../../components/PagedList';
import { FilterSelect } from '../../components/FilterSelect';
import { SearchInput } from '../../components/SearchInput';
import { describeError } from '../../lib/api-errors';
import { formatDateTime } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { RequireTenant } from '../tenants/TenantStates';
import { QuotaBar, type QuotaNotes } from '../usage/QuotaBar';
import { quota } from '../usage/usage-format';
import {
  describeType,
  fileListInput,
  formatBytes,
  hasFileFilters,
  NO_FILE_FILTERS,
  SORTS,
  TYPE_FILTERS,
  type FileFilters,
} from './file-format';
import { canCancel, canRetry, isActive, uploadPercent, uploadStatusText, type UploadItem } from './upload-queue';
import { useUploads, type Uploads } from './useUploads';
import '../usage/usage.css';
import './files.css';

export function FilesPage() {
  return (
    <>
      <title>Files · Tenantry</title>
      <RequireTenant>
        {(tenant) => <Files tenantName={tenant.name} role={tenant.role} viaSuperadmin={tenant.viaSuperadmin} />}
      </RequireTenant>
    </>
  );
}

interface Storage {
  usedBytes: number;
  limitBytes: number | null;
}

/** Storage in use against the plan, from the organisation itself: every role may read it. */
function useStorage(): { storage: Storage | null; limitBytes: number | null | undefined; error: unknown } {
  const current = trpc.tenants.current.useQuery();
  const data = current.data;
  const storage = data ? { usedBytes: data.storageBytes, limitBytes: data.limits.storageBytes } : null;
  return { storage, limitBytes: data?.limits.storageBytes, error: current.error };
}

function Files({ tenantName, role, viaSuperadmin }: { tenantName: string; role: Role; viaSuperadmin: boolean }) {
  const writes = can(role, 'files.write');
  const { storage, limitBytes, error } = useStorage();
  const utils = trpc.useUtils();
  const uploads = useUploads(storage, () => {
    void utils.files.list.invalidate();
    void utils.tenants.current.invalidate();
  });
  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Files</h1>
        <p className="page-subtitle">
          The files of {tenantName}.{' '}
          {viaSuperadmin
            ? 'You act with owner rights, as superadmin.'
            : `You are ${ROLE_LABELS[role].toLowerCase()}${writes ? '.' : ': you can see and download the files, not add or delete them.'}`}
        </p>
      </div>
      <div className="stack">
        <StorageCard storage={storage} limitBytes={limitBytes} error={error} />
        {writes ? <UploadCard uploads={uploads} /> : null}
        <FileList canDelete={can(role, 'files.delete')} canUpload={writes} />
      </div>
    </>
  );
}

function StorageCard({
  storage,
  limitBytes,
  error,
}: {
  storage: Storage | null;
  limitBytes: number | null | undefined;
  error: unknown;
}) {
  if (!storage) {
    // Without the usage (members and viewers, or while it loads), the plan's allowance alone.
    if (limitBytes === undefined && !error) return null;
    return (
      <p className="files-storage-note muted" data-testid="storage-plan">
        {error ? `The storage in use could not be loaded: ${describeError(error)} ` : null}
        {limitBytes === undefined
          ? null
          : limitBytes === null
            ? 'The plan sets no storage limit.'
            : `The plan includes ${formatBytes(limitBytes)} of storage.`}
      </p>
    );
  }
  const q = quota(storage.usedBytes, storage.limitBytes, formatBytes);
  return <QuotaBar id="storage" label="Storage" quota={q} notes={STORAGE_NOTES} className="card files-storage" />;
}

const STORAGE_NOTES: QuotaNotes = {
  ok: null,
  warn: "Close to the plan's storage limit.",
  over: "The plan's storage is full: delete files or change the plan to upload more.",
};

function UploadCard({ uploads }: { uploads: Uploads }) {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  // dragenter/dragleave fire for every child crossed: count them, so the highlight does not flicker.
  const depth = useRef(0);
  const [hover, setHover] = useState(false);
  const dragsFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

  const onDragEnter = (event: DragEvent<HTMLDivElement>) => {
    if (!dragsFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setHover(true);
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    if (!dragsFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setHover(false);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    depth.current = 0;
    setHover(false);
    uploads.add(event.dataTransfer.files);
  };

  const finished = uploads.items.some((item) => !isActive(item));
  return (
    <Card
      title="Upload"
      actions={
        finished ? (
          <Button size="sm" variant="ghost" onClick={uploads.clearFinished}>
            Clear finished
          </Button>
        ) : null
      }
    >
      <div
        className={`dropzone${hover ? ' dropzone--hover' : ''}`}
        data-testid="dropzone"
        data-hover={hover}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
      >
        <p className="dropzone__title">{hover ? 'Drop to upload' : 'Drag files here'}</p>
        <p className="dropzone__hint muted" id={hintId}>
          or choose them from your device. Each file is checked against the allowed types and the plan's storage.
        </p>
        <Button variant="primary" aria-describedby={hintId} onClick={() => input.current?.click()}>
          Choose files
        </Button>
        <input
          ref={input}
          className="visually-hidden"
          type="file"
          multiple
          tabIndex={-1}
          aria-hidden="true"
          data-testid="file-input"
          onChange={(event) => {
            if (event.target.files) uploads.add(event.target.files);
            // The same file chosen again is a new upload.
            event.target.value = '';
          }}
        />
      </div>
      {uploads.items.length ? (
        <ul className="uploads" aria-label="Uploads">
          {uploads.items.map((item) => (
            <UploadRow key={item.key} item={item} uploads={uploads} />
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

function UploadRow({ item, uploads }: { item: UploadItem; uploads: Uploads }) {
  const percent = uploadPercent(item);
  const failed = item.status === 'failed';
  return (
    <li className={`upload upload--${item.status}`} data-testid="upload-row" data-status={item.status}>
      <div className="upload__head">
        <span className="upload__name" title={item.name}>
          {item.name}
        </span>
        <span className="upload__size muted">{formatBytes(item.size)}</span>
      </div>
      {failed ? null : (
        <div
          className="upload__bar"
          role="progressbar"
          aria-label={`Upload of ${item.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={uploadStatusText(item)}
        >
          <div className="upload__fill" style={{ width: `${percent}%` }} />
        </div>
      )}
      <div className="upload__foot">
        <span
          className={failed ? 'text-danger' : 'muted'}
          role={failed ? 'alert' : undefined}
          data-testid="upload-status"
        >
          {uploadStatusText(item)}
        </span>
        <span className="upload__actions">
          {canCancel(item) ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => uploads.cancel(item.key)}
              aria-label={`Cancel ${item.name}`}
            >
              Cancel
            </Button>
          ) : null}
          {canRetry(item) ? (
            <Button size="sm" onClick={() => uploads.retry(item.key)} aria-label={`Retry ${item.name}`}>
              Retry
            </Button>
          ) : null}
          {isActive(item) ? null : (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => uploads.dismiss(item.key)}
              aria-label={`Dismiss ${item.name}`}
            >
              Dismiss
            </Button>
          )}
        </span>
      </div>
    </li>
  );
}

function FileList({ canDelete, canUpload }: { canDelete: boolean; canUpload: boolean }) {
  const [filters, setFilters] = useState<FileFilters>(NO_FILE_FILTERS);
  const deferred = useDeferredValue(filters);
  const filtered = hasFileFilters(deferred);
  const list = trpc.files.list.useInfiniteQuery(fileListInput(deferred), {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const files = list.data?.pages.flatMap((page) => page.items) ?? [];
  const [deleting, setDeleting] = useState<FileModel | null>(null);

  return (
    <Card
      title="All files"
      actions={
        <div className="files-filters" role="search" aria-label="Filter the files">
          <SearchInput
            label="Search files"
            placeholder="Search by name"
            value={filters.search}
            onChange={(search) => setFilters((f) => ({ ...f, search }))}
          />
          <FilterSelect
            label="Filter by type"
            value={filters.type}
            options={TYPE_FILTERS}
            onChange={(type) => setFilters((f) => ({ ...f, type }))}
          />
          <FilterSelect
            label="Sort"
            value={filters.sort}
            options={SORTS}
            onChange={(sort) => setFilters((f) => ({ ...f, sort }))}
          />
        </div>
      }
    >
      <PagedList
        query={list}
        count={files.length}
        loadingLabel="Loading the files…"
        errorTitle="The files could not be loaded"
        empty={
          <div data-testid="files-empty">
            {filtered ? (
              <EmptyState title="No file matches" message="Try another name or type." />
            ) : (
              <EmptyState
                title="No files yet"
                message={canUpload ? 'Upload the first one above.' : 'A member of this organisation can upload one.'}
              />
            )}
          </div>
        }
      >
        <table className="table" data-testid="files-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Type</th>
              <th scope="col">Uploaded by</th>
              <th scope="col">Date</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <FileRow key={file.id} file={file} onDelete={canDelete ? () => setDeleting(file) : null} />
            ))}
          </tbody>
        </table>
      </PagedList>
      <DeleteFileDialog file={deleting} onClose={() => setDeleting(null)} />
    </Card>
  );
}

function FileRow({ file, onDelete }: { file: FileModel; onDelete: (() => void) | null }) {
  const utils = trpc.useUtils();
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = file.status === 'ready';

  const download = async () => {
    setError(null);
    setDownloading(true);
    try {
      // A fresh short-lived link each time; its Content-Disposition makes the browser save, not leave the page.
      const { url } = await utils.files.getDownloadUrl.fetch({ id: file.id }, { staleTime: 0, gcTime: 0 });
      window.location.assign(url);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <>
      <tr data-testid="file-row" data-file-id={file.id}>
        <td className="table__strong files-name" title={file.name}>
          {file.name}
        </td>
        <td className="table__nowrap">{formatBytes(file.size)}</td>
        <td title={file.contentType}>{describeType(file.contentType)}</td>
        <td>{file.uploadedByEmail ?? <span className="muted">—</span>}</td>
        <td className="table__nowrap">
          <time dateTime={file.completedAt ?? file.createdAt}>
            {formatDateTime(new Date(file.completedAt ?? file.createdAt))}
          </time>
        </td>
        <td className="table__actions">
          {ready ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => void download()}
              loading={downloading}
              aria-label={`Download ${file.name}`}
            >
              Download
            </Button>
          ) : (
            <Badge>Uploading</Badge>
          )}
          {onDelete ? (
            <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${file.name}`}>
              Delete
            </Button>
          ) : null}
        </td>
      </tr>
      {error ? (
        <tr className="table__row-error">
          <td colSpan={6} className="text-danger" role="alert">
            {error}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function DeleteFileDialog({ file, onClose }: { file: FileModel | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const remove = trpc.files.delete.useMutation({
    onSuccess: () => {
      void utils.files.list.invalidate();
      void utils.tenants.current.invalidate();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={file !== null}
      title="Delete this file?"
      onClose={close}
      confirmLabel="Delete file"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onConfirm={() => file && remove.mutate({ id: file.id }, { onSuccess: close })}
    >
      <p>
        “{file?.name}” ({formatBytes(file?.size ?? 0)}) will be deleted for everyone in this organisation. This cannot
        be undone.
      </p>
      {remove.isError ? (
        <p className="text-danger" role="alert">
          {describeError(remove.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
