import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './Button';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom (confirm, cancel). */
  actions: ReactNode;
}

/** A modal on the native `<dialog>`: focus trap, Escape and the backdrop come from the browser. */
export function Dialog({ open, title, onClose, children, actions }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal?.();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <div className="dialog__body">{children}</div>
          <div className="dialog__actions">{actions}</div>
        </>
      ) : null}
    </dialog>
  );
}

export interface ConfirmDialogProps extends Omit<DialogProps, 'actions'> {
  /** The button that does the (destructive) thing, e.g. "Delete project". */
  confirmLabel: ReactNode;
  /** Shown on that button while the change runs, e.g. "Deleting…". */
  pendingLabel: string;
  pending: boolean;
  onConfirm: () => void;
}

/** A question before a destructive change: Cancel, or the danger button that confirms it. */
export function ConfirmDialog({ confirmLabel, pendingLabel, pending, onConfirm, ...dialog }: ConfirmDialogProps) {
  return (
    <Dialog
      {...dialog}
      actions={
        <>
          <Button size="sm" variant="ghost" onClick={dialog.onClose}>
            Cancel
          </Button>
          <Button size="sm" variant="danger" loading={pending} loadingLabel={pendingLabel} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}
