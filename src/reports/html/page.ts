import { html, trusted, type Html, type HtmlValue } from './html';
import { BASE_STYLE } from './style';

/**
 * A whole self-contained page: one file, no request of any kind (the Content-Security-Policy allows
 * only what is inline, and data: images), readable at 390 px and 1280 px with the base style.
 */
export interface PageSpec {
  readonly title: string;
  readonly description?: string;
  /** Extra CSS after the base style. */
  readonly style?: string;
  readonly body: HtmlValue;
  /** Inline scripts (from `inlineScript`, `jsonData`), placed at the end of the body. */
  readonly scripts?: readonly Html[];
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'";

export function renderPage(spec: PageSpec): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${spec.title}</title>
${spec.description === undefined ? '' : html`<meta name="description" content="${spec.description}">`}
<style>${trusted(BASE_STYLE)}${trusted(spec.style ?? '')}</style>
</head>
<body>
${spec.body}
${spec.scripts ?? []}
</body>
</html>
`;
  return page.text;
}

/** A page's size in bytes, as it is written to disk. */
export function pageBytes(page: string): number {
  return Buffer.byteLength(page, 'utf8');
}
