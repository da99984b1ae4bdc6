'use strict';
// Which CLI entry point bin/idmatrix.js runs: the compiled one in dist/ (built by `npm run build`, which
// `npm ci` runs through `prepare`), or the TypeScript sources through ts-node when there is no build,
// when any source file is newer than the build (a stale dist/ is never run), or when IDMATRIX_SOURCE=1
// (the tests and the mutation check always run the sources).
const fs = require('node:fs');
const path = require('node:path');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** 'compiled' or 'source', for the package at `root`. */
function chooseEntry(root, env) {
  if (env.IDMATRIX_SOURCE === '1') return 'source';
  let built;
  try {
    built = fs.statSync(path.join(root, 'dist', 'cli', 'main.js')).mtimeMs;
  } catch {
    return 'source';
  }
  const sources = path.join(root, 'src');
  // An installed package ships dist/ without src/: nothing to compare with.
  if (!fs.existsSync(sources)) return 'compiled';
  return newestMtime(sources) <= built ? 'compiled' : 'source';
}

module.exports = { chooseEntry };
