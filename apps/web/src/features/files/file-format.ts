import type { FileSort } from '@tenantry/shared';
import { formatBytes } from '../usage/usage-format';

export { formatBytes };

/** Types whose browser-reported name users know better by another. */
const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'application/json': 'JSON',
  'application/zip': 'ZIP archive',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'image/svg+xml': 'SVG image',
};

/** A content type in words: "PDF", "PNG image", "Word document"; unknown ones as they are. */
export function describeType(contentType: string): string {
  const type = contentType.toLowerCase();
  const named = TYPE_NAMES[type];
  if (named) return named;
  const [family, sub] = type.split('/');
  if (family === 'image' && sub) return `${sub.toUpperCase()} image`;
  return type;
}

/** The type filter of the list: what `files.list`'s `type` takes (an exact type or a family such as `image/`). */
export const TYPE_FILTERS: readonly { value: string; label: string }[] = [
  { value: '', label: 'All types' },
  { value: 'image/', label: 'Images' },
  { value: 'application/pdf', label: 'PDF' },
  { value: 'text/', label: 'Text and CSV' },
  { value: 'application/json', label: 'JSON' },
  { value: 'application/zip', label: 'ZIP archives' },
];

export const SORTS: readonly { value: FileSort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'name', label: 'Name' },
  { value: 'largest', label: 'Largest first' },
];

export interface FileFilters {
  search: string;
  type: string;
  sort: FileSort;
}

export const NO_FILE_FILTERS: FileFilters = { search: '', type: '', sort: 'newest' };

export const hasFileFilters = (f: FileFilters): boolean => f.search.trim() !== '' || f.type !== '';

/** The `files.list` input for the filters: empty ones left out. */
export function fileListInput(f: FileFilters): { search?: string; type?: string; sort: FileSort; limit: number } {
  const search = f.search.trim();
  return { ...(search ? { search } : {}), ...(f.type ? { type: f.type } : {}), sort: f.sort, limit: 50 };
}

/** Types browsers often leave empty or name oddly, by extension. */
const BY_EXTENSION: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/**
 * The content type to declare for a chosen file: the browser's, unless it gave none (then by extension,
 * else `application/octet-stream`, which the server judges like any other).
 */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type.toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || 'application/octet-stream';
}

/**
 * Early, clear refusals before anything is sent. The server decides the rest (allowed types, the
 * per-file maximum, the quota with uploads in flight); this only spares a round trip for the obvious.
 */
export function precheckUpload(
  file: { name: string; size: number },
  storage: { usedBytes: number; limitBytes: number | null } | null,
): string | null {
  if (file.size <= 0) return 'This file is empty: there is nothing to upload.';
  if (file.name.trim().length === 0) return 'This file has no name.';
  if (file.name.length > 255) return 'The file name is longer than 255 characters: rename the file first.';
  if (storage && storage.limitBytes !== null && storage.usedBytes + file.size > storage.limitBytes) {
    const free = Math.max(0, storage.limitBytes - storage.usedBytes);
    return `Not enough storage left on the plan: ${formatBytes(file.size)} needed, ${formatBytes(free)} free.`;
  }
  return null;
}

/** An allow-list entry in words: `image/*` → "images", `application/pdf` → "PDF". */
const allowedInWords = (entry: string): string =>
  entry.endsWith('/*') ? `${entry.slice(0, -2)}s` : describeType(entry);

/**
 * The API's refusal of a type, in words rather than a list of MIME types, from its `details`
 * (`{ contentType, allowed }`); `null` when the details are not those of a type refusal.
 */
export function typeRefusal(details: unknown): string | null {
  const d = details as { contentType?: unknown; allowed?: unknown } | null | undefined;
  if (typeof d?.contentType !== 'string' || !Array.isArray(d.allowed)) return null;
  const allowed = d.allowed.filter((a): a is string => typeof a === 'string').map(allowedInWords);
  return `Files of type ${d.contentType} cannot be uploaded here. Allowed: ${allowed.join(', ')}.`;
}
