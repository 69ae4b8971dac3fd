#!/usr/bin/env node
// Builds the browser kit into checkout/dist/checkout.js: one IIFE that defines window.EpayCheckout,
// no dependencies, for browsers from 2020 on. The service serves it at GET /js/checkout.js.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const outfile = join(__dirname, 'dist', 'checkout.js');
buildSync({
  entryPoints: [join(__dirname, 'src', 'index.ts')],
  bundle: true,
  format: 'iife',
  globalName: 'EpayCheckout',
  target: ['es2020'],
  minify: process.argv.includes('--minify'),
  sourcemap: false,
  legalComments: 'none',
  outfile,
  logLevel: 'warning',
});
if (require.main === module) process.stdout.write(`built ${outfile}\n`);
module.exports = { outfile };
