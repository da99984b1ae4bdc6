// Every idmatrix process a test starts runs the TypeScript sources, never a build in dist/ (bin/entry.js).
process.env.IDMATRIX_SOURCE = '1';
