import { escapeUTF8 } from 'entities';

/**
 * HTML from templates, escaped by default: `html\`<p>${name}</p>\`` escapes `name` (with the entities
 * library), while a value that is itself `Html` (another template, or `trusted()` markup) is inserted
 * as it is. Arrays are joined; null, undefined and false insert nothing. The one way the project's
 * pages build markup (src/reports/html/ is the HTML toolkit the scenario report and the what-if page share).
 */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

/** Text escaped for an HTML text node or a quoted attribute value (& < > " '). */
export function escapeHtml(text: string): string {
  return escapeUTF8(text);
}

export function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return new Html(text);
}

/** Markup the caller vouches for (a generated SVG, an inlined script's text after `scriptText`). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** `class="a b"` from the truthy entries. */
export function classes(...names: readonly (string | false | null | undefined)[]): string {
  return names.filter((name): name is string => typeof name === 'string' && name !== '').join(' ');
}
