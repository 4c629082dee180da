import { announce } from './announcer.js';
import type { ApiError } from './api.js';
import { type Child, h, uniqueId } from './elements.js';

/**
 * Form controls with their label, hint and error slot tied together (`for`, `aria-describedby`), and the
 * admin API's field errors placed next to the control they name.
 */
interface ControlOptions {
  readonly label: string;
  readonly name: string;
  readonly hint?: string;
}

export interface InputOptions extends ControlOptions {
  readonly type?: 'text' | 'email' | 'password' | 'number' | 'search';
  readonly value?: string;
  readonly required?: boolean;
  readonly autocomplete?: string;
  readonly inputmode?: string;
}

function described(name: string, hint: string | undefined) {
  const id = uniqueId(name.replace(/\W/g, '') || 'field');
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  return {
    id,
    describedBy: [hintId, errorId].filter(Boolean).join(' '),
    hint: hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    error: h('p', { class: 'field-error', id: errorId, 'data-error-for': name, hidden: true }),
  };
}

export function inputField(options: InputOptions): HTMLElement {
  const { id, describedBy, hint, error } = described(options.name, options.hint);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, options.label),
    hint,
    h('input', {
      id,
      name: options.name,
      type: options.type ?? 'text',
      value: options.value,
      required: options.required,
      autocomplete: options.autocomplete ?? 'off',
      inputmode: options.inputmode,
      autocapitalize: options.type === 'email' || options.type === 'password' ? undefined : 'none',
      spellcheck: 'false',
      'aria-describedby': describedBy,
    }),
    error,
  );
}

export function selectField(
  options: ControlOptions & { readonly choices: readonly (readonly [string, string])[]; readonly value?: string },
): HTMLElement {
  const { id, describedBy, hint, error } = described(options.name, options.hint);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, options.label),
    hint,
    h(
      'select',
      { id, name: options.name, 'aria-describedby': describedBy },
      options.choices.map(([value, label]) => h('option', { value, selected: value === options.value }, label)),
    ),
    error,
  );
}

/** A group of checkboxes (or radios) under one legend; the error slot is named after the group. */
export function choiceGroup(
  options: ControlOptions & {
    readonly type: 'checkbox' | 'radio';
    readonly choices: readonly (readonly [string, string])[];
    readonly checked?: readonly string[];
  },
): HTMLElement {
  const { describedBy, hint, error } = described(options.name, options.hint);
  return h(
    'fieldset',
    { class: 'field choices', 'aria-describedby': describedBy },
    h('legend', null, options.label),
    hint,
    options.choices.length === 0 ? h('p', { class: 'hint' }, 'None to choose from.') : null,
    options.choices.map(([value, label]) => {
      const id = uniqueId(options.name);
      return h(
        'div',
        { class: 'choice' },
        h('input', {
          id,
          type: options.type,
          name: options.name,
          value,
          checked: options.checked?.includes(value),
        }),
        h('label', { for: id }, label),
      );
    }),
    error,
  );
}

export function checkboxField(options: ControlOptions & { readonly checked?: boolean }): HTMLElement {
  const { id, describedBy, hint, error } = described(options.name, options.hint);
  return h(
    'div',
    { class: 'field choice' },
    h('input', {
      id,
      type: 'checkbox',
      name: options.name,
      value: 'true',
      checked: options.checked,
      'aria-describedby': describedBy,
    }),
    h('label', { for: id }, options.label),
    hint,
    error,
  );
}

/** The form-wide message, for errors that name no field of this form. */
export function formMessage(): HTMLElement {
  return h('p', { class: 'form-error', 'data-form-error': '', hidden: true });
}

export function submitButton(label: string, ...extra: Child[]): HTMLElement {
  return h('div', { class: 'actions' }, h('button', { type: 'submit' }, label), extra);
}

export function clearErrors(form: HTMLFormElement): void {
  for (const slot of form.querySelectorAll<HTMLElement>('[data-error-for], [data-form-error]')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/**
 * Shows an API error next to the control it names and moves focus there; `aliases` maps the API's field names
 * to this form's control names (`usernamePrefix` -> `search`). `groups[2]` and `attributes.x` name `groups` and
 * `attributes`.
 */
export function showError(
  form: HTMLFormElement,
  error: ApiError,
  aliases: Readonly<Record<string, string>> = {},
): void {
  clearErrors(form);
  const apiField = error.field?.split(/[.[]/, 1)[0];
  const name = apiField === undefined ? undefined : (aliases[apiField] ?? apiField);
  const slot = name === undefined ? null : form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
  if (slot && name !== undefined) {
    slot.textContent = error.message;
    slot.hidden = false;
    const control = form.elements.namedItem(name);
    const first = control instanceof RadioNodeList ? control[0] : control;
    if (first instanceof HTMLElement) {
      if (control instanceof RadioNodeList) {
        for (const each of control) if (each instanceof HTMLElement) each.setAttribute('aria-invalid', 'true');
      } else first.setAttribute('aria-invalid', 'true');
      first.focus();
    }
    announce(`Not saved: ${error.message}`);
    return;
  }
  const message = form.querySelector<HTMLElement>('[data-form-error]');
  if (message) {
    message.textContent = error.message;
    message.hidden = false;
  }
  announce(`Failed: ${error.message}`);
}

const busyForms = new WeakSet<HTMLFormElement>();

/**
 * Runs one call per form at a time: a double click does not send it twice. The buttons are marked
 * aria-disabled rather than disabled, so the focused one keeps the focus.
 */
export async function whileBusy(form: HTMLFormElement, work: () => Promise<void>): Promise<void> {
  if (busyForms.has(form)) return;
  busyForms.add(form);
  const buttons = [...form.querySelectorAll('button')];
  form.setAttribute('aria-busy', 'true');
  for (const button of buttons) button.setAttribute('aria-disabled', 'true');
  try {
    await work();
  } finally {
    busyForms.delete(form);
    form.removeAttribute('aria-busy');
    for (const button of buttons) button.removeAttribute('aria-disabled');
  }
}

export function stringValue(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}
