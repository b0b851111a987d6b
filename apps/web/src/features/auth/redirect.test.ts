import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPath } from './redirect';

describe('safeNextPath', () => {
  it.each([
    ['/members', '/members'],
    ['/members?page=2#top', '/members?page=2#top'],
    ['/files/a%20b', '/files/a%20b'],
    ['/a/../b', '/b'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    ['protocol-relative URL', '//evil.com'],
    ['protocol-relative URL with path', '//evil.com/members'],
    ['absolute URL', 'https://evil.com'],
    ['absolute URL to a path', 'https://evil.com/'],
    ['backslash that browsers read as a slash', '/\\evil.com'],
    ['backslashes only', '\\\\evil.com'],
    ['tab the URL parser drops', '/\t/evil.com'],
    ['newline the URL parser drops', '/\n/evil.com'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['relative path without a slash', 'members'],
    ['leading space', ' /members'],
    ['empty string', ''],
    ['the sign-in page itself', '/sign-in?next=/members'],
  ])('refuses a %s', (_what, raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });

  it('falls back to home when there is no value', () => {
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(undefined)).toBe('/');
  });
});

describe('signInPath', () => {
  it('remembers the wanted page', () => {
    expect(signInPath({ pathname: '/members', search: '?page=2', hash: '' })).toBe(
      '/sign-in?next=%2Fmembers%3Fpage%3D2',
    );
  });

  it('omits next for the home page and for unsafe paths', () => {
    expect(signInPath({ pathname: '/' })).toBe('/sign-in');
    expect(signInPath({ pathname: '//evil.com' })).toBe('/sign-in');
    expect(signInPath()).toBe('/sign-in');
  });

  it('round-trips through the query string', () => {
    const path = signInPath({ pathname: '/files', search: '?q=a&b=c', hash: '#x' });
    const next = new URL(path, 'https://app.example').searchParams.get('next');
    expect(safeNextPath(next)).toBe('/files?q=a&b=c#x');
  });
});
