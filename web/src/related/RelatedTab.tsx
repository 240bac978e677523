// SPDX-License-Identifier: AGPL-3.0-or-later
import { Link } from 'react-router';
import type { RelatedContract } from '../api/models';
import { StatusBadge } from '../contracts/StatusBadge';
import { useRelated } from '../contracts/workflowApi';
import { useFormat } from '../format/useFormat';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import layout from '../ui/layout.module.css';
import styles from './Related.module.css';

interface Node {
  contract: RelatedContract;
  children: Node[];
}

/** The flat depth-first list of the API as a tree (children keep the server's order). */
export function relatedTree(contracts: RelatedContract[]): Node[] {
  const nodes = new Map(contracts.map((c) => [c.id, { contract: c, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const c of contracts) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function RelatedTab({ contractId }: { contractId: string }) {
  const related = useRelated(contractId);
  if (related.isPending) return <Loading what="related contracts" />;
  if (related.isError) return <ErrorState error={related.error} onRetry={() => void related.refetch()} />;
  if (related.data.contracts.length <= 1)
    return (
      <EmptyState title="No related contracts">
        Amendments, statements of work and orders name this contract as their parent.
      </EmptyState>
    );
  return (
    <div className={layout.stack}>
      <h2>Related contracts</h2>
      <ul className={styles.tree} aria-label="Contract tree">
        {relatedTree(related.data.contracts).map((n) => (
          <TreeNode key={n.contract.id} node={n} />
        ))}
      </ul>
      {related.data.truncated && <p className={layout.muted}>Only the first 500 contracts are shown.</p>}
    </div>
  );
}

function TreeNode({ node }: { node: Node }) {
  const format = useFormat();
  const c = node.contract;
  return (
    <li>
      <span className={layout.row}>
        {c.relation && <span className={layout.muted}>{c.relation}</span>}
        {c.isCurrent ? (
          <strong aria-current="page">{c.title} (this contract)</strong>
        ) : (
          <Link to={`/contracts/${c.id}`}>{c.title}</Link>
        )}
        <StatusBadge status={c.status} />
        <span className={layout.muted}>
          {format.money(c.value)} · expires {format.date(c.expirationDate)}
        </span>
      </span>
      {node.children.length > 0 && (
        <ul className={styles.tree}>
          {node.children.map((n) => (
            <TreeNode key={n.contract.id} node={n} />
          ))}
        </ul>
      )}
    </li>
  );
}
