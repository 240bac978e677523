// SPDX-License-Identifier: AGPL-3.0-or-later
import { insertMention, matchMentionables, mentionAt } from './mentions';

describe('mentions', () => {
  it('finds the mention typed at the caret', () => {
    expect(mentionAt('Hi @ma', 6)).toEqual({ start: 3, query: 'ma' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('mail me at a@b', 14)).toBeNull();
    expect(mentionAt('Hi @max done', 12)).toBeNull();
  });

  it('inserts the e-mail address and moves the caret after it', () => {
    const text = 'Hi @ma please look';
    const m = mentionAt(text, 6)!;
    expect(insertMention(text, m, 6, 'max@example.com')).toEqual({
      text: 'Hi @max@example.com please look',
      caret: 20,
    });
  });

  it('ranks name and e-mail prefixes first', () => {
    const people = [
      { id: '1', name: 'Ann Manager', email: 'ann@example.com' },
      { id: '2', name: 'Max Member', email: 'max@example.com' },
      { id: '3', name: 'Emma Stone', email: 'emma@example.com' },
    ];
    expect(matchMentionables(people, 'ma').map((p) => p.id)).toEqual(['2', '1', '3']);
    expect(matchMentionables(people, 'zz')).toEqual([]);
  });
});
