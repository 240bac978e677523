// SPDX-License-Identifier: AGPL-3.0-or-later
// @mention autocomplete: the server recognises `@alice@example.com`, so a chosen colleague is
// inserted as their e-mail address.

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** What was typed after it, up to the caret. */
  query: string;
}

/** The mention being typed at the caret, if any (an `@` at a word start, no space since). */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]*)$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Replaces the typed mention with `@email ` and returns the new text and caret. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  email: string,
): { text: string; caret: number } {
  const insert = `@${email} `;
  const rest = text.slice(caret).replace(/^\S*/, '');
  const next = text.slice(0, mention.start) + insert + rest.replace(/^ /, '');
  return { text: next, caret: mention.start + insert.length };
}

export interface Mentionable {
  id: string;
  name: string;
  email: string;
}

/** Colleagues whose name or e-mail starts a word with the query, best first, at most 8. */
export function matchMentionables(people: Mentionable[], query: string): Mentionable[] {
  const q = query.toLowerCase();
  const score = (p: Mentionable) => {
    const name = p.name.toLowerCase();
    const email = p.email.toLowerCase();
    if (q === '') return 1;
    if (name.startsWith(q) || email.startsWith(q)) return 3;
    if (name.split(/\s+/).some((w) => w.startsWith(q))) return 2;
    return name.includes(q) || email.includes(q) ? 1 : 0;
  };
  return people
    .map((p) => ({ p, s: score(p) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.p.name.localeCompare(b.p.name))
    .slice(0, 8)
    .map((x) => x.p);
}
