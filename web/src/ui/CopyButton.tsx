// SPDX-License-Identifier: AGPL-3.0-or-later
import { useState } from 'react';
import { Button } from './Button';

/** Copies a text (a link, a secret) and says so; the text stays selectable beside it. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard permission (plain http): select the text for Ctrl+C instead.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <Button small onClick={() => void copy()} aria-label={label}>
      <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
    </Button>
  );
}
