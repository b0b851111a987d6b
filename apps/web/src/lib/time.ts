import { useEffect, useState } from 'react';
import { regionDateFormat } from './region';

/** A moment in the organisation's locale and time zone (lib/region.ts): "Dec 6, 2026, 7:35:11 PM". */
export const formatDateTime = (date: Date): string =>
  regionDateFormat({ dateStyle: 'medium', time: true }).format(date);
/** A day in the organisation's locale and time zone: "December 6, 2026". */
export const formatDate = (date: Date): string => regionDateFormat({ dateStyle: 'long' }).format(date);

/** A short countdown such as `59m 08s`, `1h 05m` or `2d 3h`; `expired` once `ms` is not positive. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'expired';
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** The current time, updated every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
