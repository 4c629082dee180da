import { h } from './elements.js';

export interface Confirmation {
  readonly title: string;
  readonly body: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
}

/**
 * Asks before an action that changes a user: a modal <dialog> (focus stays inside, Escape cancels) whose
 * default button is Cancel, so Enter on an unread dialog does nothing harmful.
 */
export function confirmAction(confirmation: Confirmation): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = 'confirm-title';
  const cancel = h('button', { type: 'submit', value: 'cancel', autofocus: true }, 'Cancel');
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': titleId, 'aria-describedby': 'confirm-body' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: titleId }, confirmation.title),
      h('p', { id: 'confirm-body' }, confirmation.body),
      h(
        'div',
        { class: 'actions' },
        cancel,
        h(
          'button',
          { type: 'submit', value: 'confirm', class: confirmation.danger ? 'danger' : null },
          confirmation.confirmLabel,
        ),
      ),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'confirm';
      dialog.remove();
      opener?.focus();
      resolve(confirmed);
    });
    dialog.showModal();
    cancel.focus();
  });
}
