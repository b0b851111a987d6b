import type { ReactNode } from 'react';
import { Button } from './Button';

export interface ErrorStateProps {
  title?: string;
  message: ReactNode;
  onRetry?: () => void;
  retrying?: boolean;
}

export function ErrorState({ title = 'Something went wrong', message, onRetry, retrying = false }: ErrorStateProps) {
  return (
    <div className="state state--error" role="alert">
      <p className="state__title">{title}</p>
      <p className="state__message">{message}</p>
      {onRetry ? (
        <Button size="sm" onClick={onRetry} loading={retrying} loadingLabel="Retrying…">
          Try again
        </Button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, message }: { title: string; message?: ReactNode }) {
  return (
    <div className="state state--empty">
      <p className="state__title">{title}</p>
      {message ? <p className="state__message">{message}</p> : null}
    </div>
  );
}
