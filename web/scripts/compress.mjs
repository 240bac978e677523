// SPDX-License-Identifier: AGPL-3.0-or-later
// Writes NAME.gz beside every compressible file of dist/ (JavaScript, CSS, HTML, SVG, JSON,
// maps) larger than 1 KiB, at gzip's best level. `contractmgmt serve` sends the .gz to clients
// that accept gzip (src/http/static_files.cpp), so nothing is compressed per request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const compressible = /\.(m?js|css|html|svg|json|map|txt)$/;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (compressible.test(entry.name)) yield full;
  }
}

let written = 0;
let before = 0;
let after = 0;
for await (const file of files(dist)) {
  if ((await stat(file)).size <= 1024) continue;
  const raw = await readFile(file);
  const zipped = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
  if (zipped.length >= raw.length) continue;
  await writeFile(`${file}.gz`, zipped);
  written += 1;
  before += raw.length;
  after += zipped.length;
}
console.log(`compress: ${written} files, ${(before / 1024).toFixed(0)} KiB → ${(after / 1024).toFixed(0)} KiB gzip`);
