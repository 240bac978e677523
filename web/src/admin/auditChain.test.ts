// SPDX-License-Identifier: AGPL-3.0-or-later
import type { AuditEvent } from '../api/models';
import { checkChainLinks } from './auditChain';

const event = (seq: number, hash: string, prevHash: string) => ({ seq, hash, prevHash }) as AuditEvent;

describe('audit chain links', () => {
  it('checks consecutive events only, and names the breaks', () => {
    const events = [event(5, 'e', 'd'), event(4, 'd', 'c'), event(3, 'c', 'b'), event(1, 'a', '')];
    expect(checkChainLinks(events)).toEqual({ checked: 2, breaks: [] });
    events[1] = event(4, 'd', 'tampered');
    expect(checkChainLinks(events)).toEqual({ checked: 2, breaks: [4] });
  });
});
