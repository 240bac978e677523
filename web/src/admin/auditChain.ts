// SPDX-License-Identifier: AGPL-3.0-or-later
// What the browser can check of the audit hash chain: each event's `prevHash` equals the
// `hash` of the event before it (seq − 1) wherever both are loaded. Recomputing each hash
// needs the server's canonical form; that check belongs to the server (see web/README.md).
import type { AuditEvent } from '../api/models';

export interface ChainCheck {
  /** Consecutive pairs whose link was checked. */
  checked: number;
  /** Seqs whose prevHash does not match the previous event's hash. */
  breaks: number[];
}

export function checkChainLinks(events: AuditEvent[]): ChainCheck {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  let checked = 0;
  const breaks: number[] = [];
  for (const e of events) {
    const previous = bySeq.get(e.seq - 1);
    if (!previous) continue;
    checked += 1;
    if (e.prevHash !== previous.hash) breaks.push(e.seq);
  }
  return { checked, breaks: breaks.sort((a, b) => a - b) };
}
