// SPDX-License-Identifier: AGPL-3.0-or-later
// A redline from the compare endpoint's runs: equal text as is, insertions and deletions
// marked. Long unchanged stretches are folded to their edges so the changes stand out.
import type { ComparisonChange } from '../api/models';

export type RedlineSegment =
  | { kind: 'equal' | 'insert' | 'delete'; text: string }
  | { kind: 'fold'; hiddenChars: number };

/** Characters of unchanged text kept on each side of a change before folding the rest. */
export const CONTEXT_CHARS = 200;

export function redlineSegments(changes: ComparisonChange[], context = CONTEXT_CHARS): RedlineSegment[] {
  const merged: Array<{ kind: 'equal' | 'insert' | 'delete'; text: string }> = [];
  for (const change of changes) {
    if (change.text === '') continue;
    const last = merged[merged.length - 1];
    if (last && last.kind === change.op) last.text += change.text;
    else merged.push({ kind: change.op, text: change.text });
  }
  const out: RedlineSegment[] = [];
  merged.forEach((segment, index) => {
    if (segment.kind !== 'equal' || segment.text.length <= context * 2 + 40) {
      out.push(segment);
      return;
    }
    const first = index === 0;
    const lastOne = index === merged.length - 1;
    const head = first ? '' : segment.text.slice(0, context);
    const tail = lastOne ? '' : segment.text.slice(-context);
    const hidden = segment.text.length - head.length - tail.length;
    if (head) out.push({ kind: 'equal', text: head });
    out.push({ kind: 'fold', hiddenChars: hidden });
    if (tail) out.push({ kind: 'equal', text: tail });
  });
  return out;
}
