import { describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  describeType,
  fileListInput,
  hasFileFilters,
  NO_FILE_FILTERS,
  precheckUpload,
  typeRefusal,
} from './file-format';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

describe('describeType', () => {
  it('names common types in words and images by their format', () => {
    expect(describeType('application/pdf')).toBe('PDF');
    expect(describeType('text/csv')).toBe('CSV');
    expect(describeType('image/png')).toBe('PNG image');
    expect(describeType('IMAGE/JPEG')).toBe('JPEG image');
    expect(describeType('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'Word document',
    );
    expect(describeType('application/x-thing')).toBe('application/x-thing');
  });
});

describe('contentTypeOf', () => {
  it("keeps the browser's type, and guesses by extension only when it gave none", () => {
    expect(contentTypeOf({ name: 'a.csv', type: 'text/csv' })).toBe('text/csv');
    expect(contentTypeOf({ name: 'Report.PDF', type: '' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'notes.txt', type: 'Text/Plain' })).toBe('text/plain');
    expect(contentTypeOf({ name: 'archive', type: '' })).toBe('application/octet-stream');
    expect(contentTypeOf({ name: 'x.weird', type: '' })).toBe('application/octet-stream');
  });
});

describe('precheckUpload', () => {
  it('refuses empty files and over-long names before sending anything', () => {
    expect(precheckUpload({ name: 'a.txt', size: 0 }, null)).toBe('This file is empty: there is nothing to upload.');
    expect(precheckUpload({ name: `${'x'.repeat(252)}.txt`, size: 5 }, null)).toMatch(/longer than 255/);
    expect(precheckUpload({ name: 'a.txt', size: 5 }, null)).toBeNull();
  });

  it('refuses a file bigger than the storage left on the plan, saying what is free', () => {
    const storage = { usedBytes: 10 * GB - 3 * MB, limitBytes: 10 * GB };
    expect(precheckUpload({ name: 'big.zip', size: 5 * MB }, storage)).toBe(
      'Not enough storage left on the plan: 5 MB needed, 3 MB free.',
    );
    expect(precheckUpload({ name: 'small.zip', size: 3 * MB }, storage)).toBeNull();
    expect(precheckUpload({ name: 'big.zip', size: 5 * GB }, { usedBytes: 0, limitBytes: null })).toBeNull();
  });
});

describe('fileListInput', () => {
  it('leaves out empty filters and trims the search', () => {
    expect(fileListInput(NO_FILE_FILTERS)).toEqual({ sort: 'newest', limit: 50 });
    expect(fileListInput({ search: '  plan ', type: 'image/', sort: 'largest' })).toEqual({
      search: 'plan',
      type: 'image/',
      sort: 'largest',
      limit: 50,
    });
    expect(hasFileFilters(NO_FILE_FILTERS)).toBe(false);
    expect(hasFileFilters({ ...NO_FILE_FILTERS, sort: 'name' })).toBe(false);
    expect(hasFileFilters({ ...NO_FILE_FILTERS, type: 'text/' })).toBe(true);
  });
});

describe('typeRefusal', () => {
  it("names the allowed types in words from the API's details", () => {
    expect(
      typeRefusal({
        contentType: 'application/x-msdownload',
        allowed: [
          'image/*',
          'application/pdf',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ],
      }),
    ).toBe('Files of type application/x-msdownload cannot be uploaded here. Allowed: images, PDF, CSV, Word document.');
    expect(typeRefusal({ size: 5, maxBytes: 4 })).toBeNull();
    expect(typeRefusal(null)).toBeNull();
  });
});
