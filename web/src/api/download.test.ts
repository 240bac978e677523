// SPDX-License-Identifier: AGPL-3.0-or-later
import { filenameFrom } from './download';

describe('filenameFrom', () => {
  it('prefers the RFC 6266 UTF-8 name, falls back to the plain one', () => {
    expect(filenameFrom(`attachment; filename="contracts.csv"; filename*=UTF-8''Vertr%C3%A4ge.csv`)).toBe('Verträge.csv');
    expect(filenameFrom('attachment; filename="contracts.csv"')).toBe('contracts.csv');
    expect(filenameFrom('attachment; filename=plain.pdf')).toBe('plain.pdf');
    expect(filenameFrom(null)).toBeUndefined();
  });
});
