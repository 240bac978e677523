// SPDX-License-Identifier: AGPL-3.0-or-later
// Regenerates src/api/schema.d.ts from the server's OpenAPI description.
// Source: the file named by CM_OPENAPI_FILE, else a running server (CM_API_URL, default
// http://localhost:8000). The output is checked in so builds never need a server;
// src/api/schema.test.ts fails when it no longer matches the server's description.
import { readFile, writeFile } from 'node:fs/promises';
import { generateSchemaText } from './schema-gen.mjs';

const file = process.env.CM_OPENAPI_FILE;
const base = process.env.CM_API_URL ?? 'http://localhost:8000';

async function loadSpec() {
  if (file) return JSON.parse(await readFile(file, 'utf8'));
  const response = await fetch(`${base}/api/openapi.json`);
  if (!response.ok) throw new Error(`GET ${base}/api/openapi.json answered ${response.status}`);
  return response.json();
}

const target = new URL('../src/api/schema.d.ts', import.meta.url);
await writeFile(target, await generateSchemaText(await loadSpec()));
console.log(`wrote ${target.pathname}`);
