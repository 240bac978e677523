// SPDX-License-Identifier: AGPL-3.0-or-later
import { render, screen } from '@testing-library/react';
import type { Comparison } from '../api/models';
import { Redline } from './Redline';
import { redlineSegments } from './redline';

const run = (op: 'equal' | 'insert' | 'delete', text: string) => ({
  op,
  text,
  oldOffset: 0,
  oldLength: 0,
  newOffset: 0,
  newLength: 0,
});

describe('redline', () => {
  it('merges adjacent runs of one kind and drops empty ones', () => {
    expect(redlineSegments([run('equal', 'The '), run('equal', 'fee '), run('delete', ''), run('insert', 'is 10')])).toEqual([
      { kind: 'equal', text: 'The fee ' },
      { kind: 'insert', text: 'is 10' },
    ]);
  });

  it('folds long unchanged text to the context around changes', () => {
    const long = 'x'.repeat(1000);
    const segments = redlineSegments([run('equal', long), run('delete', 'old'), run('equal', long)], 10);
    expect(segments).toEqual([
      { kind: 'fold', hiddenChars: 990 },
      { kind: 'equal', text: 'x'.repeat(10) },
      { kind: 'delete', text: 'old' },
      { kind: 'equal', text: 'x'.repeat(10) },
      { kind: 'fold', hiddenChars: 990 },
    ]);
  });

  it('renders insertions as <ins> and deletions as <del>, user text as text', () => {
    const comparison: Comparison = {
      precision: 'word',
      summary: { insertedWords: 1, deletedWords: 1, unchangedWords: 3 },
      changes: [run('equal', 'Payment within '), run('delete', '30'), run('insert', '<b>45</b>'), run('equal', ' days.')],
      documentId: 'd1',
      from: 1,
      to: 2,
    };
    const { container } = render(<Redline comparison={comparison} />);
    expect(container.querySelector('del')?.textContent).toBe('30');
    expect(container.querySelector('ins')?.textContent).toBe('<b>45</b>');
    expect(container.querySelector('b')).toBeNull();
    expect(screen.getByRole('document', { name: 'Changes from version 1 to 2' }).textContent).toBe(
      'Payment within 30<b>45</b> days.',
    );
    expect(screen.getByText(/1 words inserted, 1 deleted, 3 unchanged/)).toBeInTheDocument();
  });
});
