import { AppError } from '../errors.js';

/** Keyset pagination over (created_at desc, id desc): the cursor is the last row's pair, opaque to clients. */
export interface KeysetCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: KeysetCursor): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): KeysetCursor | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new AppError({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED', message: 'This page cursor is not valid' });
  }
  return { createdAt, id };
}

/** The `where` part that continues after a cursor, for MikroORM's query objects. */
export function afterCursor(cursor: KeysetCursor | undefined) {
  if (!cursor) return {};
  return {
    $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }],
  };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetch `limit + 1` rows and pass them here: the extra row only says whether there is a next page. */
export function pageOf<R extends KeysetCursor, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  return pageBy(rows, limit, map, (row) => row);
}

/** `pageOf` for rows whose keyset is named otherwise (e.g. `at` instead of `createdAt`). */
export function pageBy<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => KeysetCursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
