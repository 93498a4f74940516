import { html, type Html } from '../../web/html.ts';

/**
 * A wide table inside a box that scrolls sideways on its own, so a phone scrolls the table and
 * never the page. Focusable (and named) so a keyboard user can scroll it too.
 */
export function scrollTable(table: Html, label: string): Html {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}
