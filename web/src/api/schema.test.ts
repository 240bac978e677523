// SPDX-License-Identifier: AGPL-3.0-or-later
// @vitest-environment node
// The checked-in API types must be exactly what openapi-typescript makes of the server's
// description, so the UI can never drift from the API silently. scripts/test.sh runs this
// with CM_OPENAPI_FILE set to the output of `contractmgmt openapi`.
import { readFile } from 'node:fs/promises';
import { generateSchemaText } from '../../scripts/schema-gen.mjs';

const specFile = process.env.CM_OPENAPI_FILE;

describe('src/api/schema.d.ts', () => {
  if (!specFile) {
    it.skip('matches the server (skipped: set CM_OPENAPI_FILE to the output of `contractmgmt openapi`)', () => {});
    console.warn(
      'schema drift check skipped: CM_OPENAPI_FILE is not set (e.g. contractmgmt openapi > /tmp/openapi.json)',
    );
    return;
  }

  it(`matches what openapi-typescript generates from ${specFile}`, async () => {
    const spec = JSON.parse(await readFile(specFile, 'utf8')) as object;
    const expected = await generateSchemaText(spec);
    const actual = await readFile(new URL('./schema.d.ts', import.meta.url), 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      let line = 0;
      while (line < a.length && a[line] === e[line]) line += 1;
      throw new Error(
        `src/api/schema.d.ts differs from the server's description from line ${line + 1}:\n` +
          `  checked in: ${a[line] ?? '(end of file)'}\n  generated:  ${e[line] ?? '(end of file)'}\n` +
          'Run `CM_OPENAPI_FILE=... npm run api:types` and fix what no longer compiles.',
      );
    }
  }, 60_000);
});
