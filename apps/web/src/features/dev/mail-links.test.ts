import { describe, expect, it } from 'vitest';
import { mailLinkTarget, splitLinks } from './mail-links';

describe('splitLinks', () => {
  it('finds the links in plain text', () => {
    expect(splitLinks('Join here: http://app.test/invitations/accept?token=abc\nThanks')).toEqual([
      { kind: 'text', text: 'Join here: ' },
      { kind: 'link', href: 'http://app.test/invitations/accept?token=abc' },
      { kind: 'text', text: '\nThanks' },
    ]);
  });

  it('leaves a sentence’s closing punctuation out of the link', () => {
    expect(splitLinks('See https://x.test/a. Or (https://y.test/b).')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', href: 'https://x.test/a' },
      { kind: 'text', text: '. Or (' },
      { kind: 'link', href: 'https://y.test/b' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('keeps text without links as one part, and nothing as nothing', () => {
    expect(splitLinks('No link here')).toEqual([{ kind: 'text', text: 'No link here' }]);
    expect(splitLinks('')).toEqual([]);
  });
});

describe('mailLinkTarget', () => {
  it('opens this app’s invitation links here, whatever host the mailer wrote', () => {
    expect(mailLinkTarget('http://127.0.0.1:5173/invitations/accept?token=abc', 'http://localhost:3000')).toBe(
      'http://localhost:3000/invitations/accept?token=abc',
    );
  });

  it('leaves other links and bad URLs alone', () => {
    expect(mailLinkTarget('https://docs.example.com/help', 'http://localhost:3000')).toBe(
      'https://docs.example.com/help',
    );
    expect(mailLinkTarget('not a url', 'http://localhost:3000')).toBe('not a url');
  });
});
