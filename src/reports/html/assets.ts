import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Html, trusted } from './html';

/**
 * Everything a page needs is inside it: scripts and data are inlined, nothing is fetched (the page opens
 * from disk, offline, and its Content-Security-Policy forbids any request).
 */

/** The text of a file shipped in an installed package, e.g. `packageFile('mermaid', 'dist/mermaid.min.js')`. */
export function packageFile(name: string, file: string): string {
  return readFileSync(join(packageRoot(name), file), 'utf8');
}

/**
 * The directory of an installed package. A package whose `exports` do not list `./package.json`
 * (chart.js) is found from its main entry, up to the directory whose package.json names it.
 */
function packageRoot(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
  }
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new Error(`cannot find the directory of the package ${name}`);
}

/** The installed version of a package (the page says which library drew what). */
export function packageVersion(name: string): string {
  return (JSON.parse(packageFile(name, 'package.json')) as { version: string }).version;
}

/** A script's text made safe to sit between <script> and </script>. */
export function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** An inline <script> of `code`. */
export function inlineScript(code: string, id?: string): Html {
  return trusted(`<script${id === undefined ? '' : ` id="${id}"`}>${scriptText(code)}</script>`);
}

/** JSON data for the page's scripts: a <script type="application/json"> that no text can break out of. */
export function jsonData(id: string, value: unknown): Html {
  const text = JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return trusted(`<script type="application/json" id="${id}">${text}</script>`);
}

/** Reads a page's JSON data back (tests, and the page itself via `JSON.parse(el.textContent)`). */
export function readJsonData(page: string, id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(page);
  if (match === null) throw new Error(`the page has no data "${id}"`);
  return JSON.parse(match[1] as string);
}
