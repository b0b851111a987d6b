import { useState } from 'react';
import { initialOf, textColourOn } from './branding';

/**
 * An organisation's mark: its logo when it has one (and the image loads), else its initial on its colour.
 * Decorative: the name is always written next to it.
 */
export function BrandMark({
  displayName,
  colour,
  logoUrl,
  size = 28,
}: {
  displayName: string;
  colour: string;
  logoUrl: string | null;
  size?: number;
}) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const style = { width: size, height: size };
  if (logoUrl && failedUrl !== logoUrl) {
    return (
      <img
        className="brand-mark brand-mark--logo"
        src={logoUrl}
        alt=""
        style={style}
        data-testid="brand-logo"
        onError={() => setFailedUrl(logoUrl)}
      />
    );
  }
  return (
    <span
      className="brand-mark"
      aria-hidden="true"
      data-testid="brand-initial"
      style={{ ...style, background: colour, color: textColourOn(colour), fontSize: Math.round(size * 0.5) }}
    >
      {initialOf(displayName)}
    </span>
  );
}
