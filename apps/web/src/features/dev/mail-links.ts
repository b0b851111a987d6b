/** A piece of an e-mail's text: plain, or a link to show as one. */
export type MailPart = { kind: 'text'; text: string } | { kind: 'link'; href: string };

const LINK = /https?:\/\/[^\s<>"']+/g;

/** Splits plain text into text and http(s) links (a sentence's closing punctuation stays out of the link). */
export function splitLinks(text: string): MailPart[] {
  const parts: MailPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const href = match[0].replace(/[.,;:!?)]+$/, '');
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/**
 * Where a link of the development mailbox should go: a link to this app opens here (the mailer writes
 * the API's APP_URL, which may name another host than the one in the address bar); others stay as they are.
 */
export function mailLinkTarget(href: string, appOrigin: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  return url.pathname.startsWith('/invitations/') ? `${appOrigin}${url.pathname}${url.search}${url.hash}` : href;
}
