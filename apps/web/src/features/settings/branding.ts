/** The first letter or digit of a name, upper-cased: the mark of an organisation without a logo. */
export function initialOf(name: string): string {
  const match = /[\p{L}\p{N}]/u.exec(name);
  return match ? match[0].toLocaleUpperCase() : '?';
}

/** WCAG relative luminance of a #rrggbb colour (0 black … 1 white); null for anything else. */
export function luminance(hex: string): number | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return null;
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black, whichever reads better on the organisation's colour (higher WCAG contrast). */
export function textColourOn(hex: string): '#ffffff' | '#111827' {
  const l = luminance(hex);
  if (l === null) return '#ffffff';
  const onWhite = 1.05 / (l + 0.05);
  const onDark = (l + 0.05) / (luminance('#111827')! + 0.05);
  return onWhite >= onDark ? '#ffffff' : '#111827';
}
