'use strict';
// cucumber-js imports formatters with import(), which cannot load TypeScript; ts-node is registered by
// cucumber.js (requireModule), so this entry point hands over to the TypeScript module.
module.exports = require('../formatters').index;
