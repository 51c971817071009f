// Compiles every .ts file of the current directory into build/ with SWC, reading .swcrc the way
// `swc . -d build` does (the CLI is left out only to keep the toolchain small).
const { readFileSync, readdirSync, mkdirSync, writeFileSync } = require('node:fs');
const { transformFileSync } = require('@swc/core');

const options = JSON.parse(readFileSync('.swcrc', 'utf8'));
mkdirSync('build', { recursive: true });
for (const file of readdirSync('.').filter((name) => /\.m?ts$/.test(name))) {
  const { code } = transformFileSync(file, { ...options, swcrc: false, filename: file });
  writeFileSync(`build/${file.replace(/\.ts$/, '.js')}`, code);
}
