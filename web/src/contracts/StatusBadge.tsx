// SPDX-License-Identifier: AGPL-3.0-or-later
import type { ContractStatus } from '../api/models';
import { Badge, type Tone } from '../ui/States';

const labels: Record<ContractStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  out_for_signature: 'Out for signature',
  active: 'Active',
  expired: 'Expired',
  terminated: 'Terminated',
  renewed: 'Renewed',
  cancelled: 'Cancelled',
};

const tones: Record<ContractStatus, Tone> = {
  draft: 'neutral',
  in_review: 'info',
  approved: 'info',
  out_for_signature: 'warning',
  active: 'success',
  expired: 'danger',
  terminated: 'danger',
  renewed: 'success',
  cancelled: 'neutral',
};

export const statusLabel = (status: ContractStatus) => labels[status] ?? status;

export function StatusBadge({ status }: { status: ContractStatus }) {
  return <Badge tone={tones[status] ?? 'neutral'}>{statusLabel(status)}</Badge>;
}
