#!/usr/bin/env node
// `nest build` runs the @nestjs/swagger compiler plugin, so the built service documents every DTO
// property. Tests run the TypeScript sources through SWC, which has no such plugin: this writes the
// same metadata (the plugin's own generator) for the test apps to load, so the OpenAPI document the
// tests validate is the one production serves. Regenerated only when a source file is newer.
const { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, 'test', 'setup', 'generated');
const OUT = join(OUT_DIR, 'openapi-metadata.ts');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function generate() {
  if (existsSync(OUT) && statSync(OUT).mtimeMs > newest(join(ROOT, 'src'))) return OUT;
  const { PluginMetadataGenerator } = require('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator');
  const { ReadonlyVisitor } = require('@nestjs/swagger/plugin');
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'openapi-metadata-'));
  new PluginMetadataGenerator().generate({
    visitors: [new ReadonlyVisitor({ introspectComments: true, pathToSource: join(ROOT, 'src'), classValidatorShim: true })],
    outputDir: tmp,
    watch: false,
    tsconfigPath: relative(process.cwd(), join(ROOT, 'tsconfig.build.json')),
    filename: 'metadata.ts',
    printDiagnostics: false,
  });
  // the generator writes imports relative to src/; this file lives in test/setup/generated/
  const text = readFileSync(join(tmp, 'metadata.ts'), 'utf8').replace(/import\("\.\//g, 'import("../../../src/');
  writeFileSync(OUT, text);
  return OUT;
}

module.exports = { generate, OUT };
if (require.main === module) process.stdout.write(`wrote ${generate()}\n`);
