import { type Child, h } from './elements.js';

/** One column: its heading, and whether narrow screens hide it (the CSS class `wide-only`). */
export interface Column {
  readonly title: string;
  readonly wideOnly?: boolean;
}

/**
 * A table that scrolls on its own on a phone and can be reached with the keyboard (a labelled, focusable
 * region). Each row's first cell is its row heading, so a screen reader names the row by it.
 */
export function dataTable(label: string, columns: readonly Column[], rows: readonly (readonly Child[])[]) {
  const wide = (index: number) => (columns[index]?.wideOnly ? 'wide-only' : null);
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label },
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h('tr', null, ...columns.map((column, i) => h('th', { scope: 'col', class: wide(i) }, column.title))),
      ),
      h(
        'tbody',
        null,
        rows.map(([heading, ...cells]) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row', class: wide(0) }, heading),
            ...cells.map((cell, i) => h('td', { class: wide(i + 1) }, cell)),
          ),
        ),
      ),
    ),
  );
}
