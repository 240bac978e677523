// SPDX-License-Identifier: AGPL-3.0-or-later
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { newIdempotencyKey } from '../api/client';
import type { Comment, Contract } from '../api/models';
import { useMe } from '../app/useSessionData';
import { useComments, useCreateComment, useDeleteComment } from '../contracts/workflowApi';
import { useFormat } from '../format/useFormat';
import { useUserName, useUsers } from '../users/usersApi';
import { Button } from '../ui/Button';
import { Loading } from '../ui/Spinner';
import { EmptyState, ErrorState } from '../ui/States';
import { useToast } from '../ui/Toast';
import { insertMention, matchMentionables, mentionAt, type Mentionable, type MentionQuery } from './mentions';
import layout from '../ui/layout.module.css';
import styles from './Comments.module.css';

export function CommentsTab({ contract, canComment }: { contract: Contract; canComment: boolean }) {
  const comments = useComments(contract.id);
  const threads = useMemo(() => {
    const items = comments.data?.items ?? [];
    const replies = new Map<string, Comment[]>();
    for (const c of items) if (c.parentId) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c]);
    return items.filter((c) => !c.parentId).map((c) => ({ root: c, replies: replies.get(c.id) ?? [] }));
  }, [comments.data]);

  return (
    <div className={layout.stack}>
      <h2>Comments</h2>
      {comments.isPending ? (
        <Loading what="comments" />
      ) : comments.isError ? (
        <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />
      ) : threads.length === 0 ? (
        <EmptyState title="No comments yet">
          {canComment ? 'Start the discussion below; @ mentions a colleague.' : 'Nobody has commented.'}
        </EmptyState>
      ) : (
        <ul className={layout.plainList} aria-label="Comment threads">
          {threads.map(({ root, replies }) => (
            <li key={root.id}>
              <CommentItem comment={root} contractId={contract.id} canReply={canComment} />
              {replies.length > 0 && (
                <ul className={`${layout.plainList} ${styles.replies}`} aria-label="Replies">
                  {replies.map((r) => (
                    <li key={r.id}>
                      <CommentItem comment={r} contractId={contract.id} canReply={false} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {canComment && <CommentComposer contractId={contract.id} label="New comment" />}
    </div>
  );
}

function CommentItem({ comment, contractId, canReply }: { comment: Comment; contractId: string; canReply: boolean }) {
  const format = useFormat();
  const me = useMe();
  const userName = useUserName(me.data);
  const remove = useDeleteComment(contractId);
  const [replying, setReplying] = useState(false);
  const mine = me.data?.id === comment.authorId;
  return (
    <article className={styles.comment} aria-label={`Comment by ${userName(comment.authorId)}`}>
      <header className={layout.row}>
        <strong>{userName(comment.authorId)}</strong>
        <time className={layout.muted} dateTime={comment.createdAt}>
          {format.instant(comment.createdAt)}
        </time>
        {comment.edited && <span className={layout.muted}>(edited)</span>}
      </header>
      {comment.deleted ? (
        <p className={layout.muted}>This comment was deleted.</p>
      ) : (
        <p className={layout.pre}>{comment.body}</p>
      )}
      {!comment.deleted && (
        <div className={layout.actions}>
          {canReply && (
            <Button small variant="ghost" onClick={() => setReplying((r) => !r)}>
              Reply
            </Button>
          )}
          {mine && (
            <Button small variant="ghost" busy={remove.isPending} onClick={() => remove.mutate(comment.id)}>
              Delete
            </Button>
          )}
        </div>
      )}
      {replying && (
        <CommentComposer contractId={contractId} parentId={comment.id} label="Reply" onDone={() => setReplying(false)} />
      )}
    </article>
  );
}

function CommentComposer({
  contractId,
  parentId,
  label,
  onDone,
}: {
  contractId: string;
  parentId?: string;
  label: string;
  onDone?: () => void;
}) {
  const me = useMe();
  const users = useUsers(me.data);
  const create = useCreateComment(contractId);
  const toast = useToast();
  const key = useRef(newIdempotencyKey());
  const area = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState('');
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputId = useId();

  const people: Mentionable[] = (users.data?.items ?? []).filter((u) => u.active && u.id !== me.data?.id);
  const options = mention ? matchMentionables(people, mention.query) : [];
  const open = mention !== null && options.length > 0;

  function track(text: string, caret: number) {
    const next = mentionAt(text, caret);
    setMention(next);
    if (next?.query !== mention?.query) setActive(0);
  }

  function choose(person: Mentionable) {
    if (!mention || !area.current) return;
    const caret = area.current.selectionStart;
    const result = insertMention(body, mention, caret, person.email);
    setBody(result.text);
    setMention(null);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(result.caret, result.caret);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (!open) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((a) => (a + 1) % options.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => (a - 1 + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      const person = options[active];
      if (person) choose(person);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setMention(null);
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      await create.mutateAsync({
        body: { body: body.trim(), ...(parentId ? { parentId } : {}) },
        idempotencyKey: key.current,
      });
      key.current = newIdempotencyKey();
      setBody('');
      toast({ title: parentId ? 'Reply posted' : 'Comment posted', tone: 'success' });
      onDone?.();
    } catch {
      // shown below; a retry reuses the key so a lost answer cannot post twice
    }
  }

  return (
    <form className={styles.composer} onSubmit={submit} aria-label={label}>
      <label htmlFor={inputId} className={styles.label}>
        {label}
      </label>
      <div className={styles.comboWrap}>
        <textarea
          id={inputId}
          ref={area}
          value={body}
          maxLength={10000}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          aria-describedby={`${inputId}-hint`}
          onChange={(e) => {
            setBody(e.target.value);
            track(e.target.value, e.target.selectionStart);
          }}
          onKeyDown={onKeyDown}
          onClick={(e) => track(body, e.currentTarget.selectionStart)}
          onBlur={() => setTimeout(() => setMention(null), 150)}
        />
        <ul id={listId} role="listbox" aria-label="Colleagues to mention" className={styles.suggestions} hidden={!open}>
          {options.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={styles.option}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(p);
              }}
            >
              {p.name} <span className={layout.muted}>{p.email}</span>
            </li>
          ))}
        </ul>
      </div>
      <span id={`${inputId}-hint`} className={layout.muted}>
        Type @ and a name to mention a colleague; they are notified.
      </span>
      {create.isError && <ErrorState error={create.error} />}
      <div className={layout.actions}>
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!body.trim()}>
          {parentId ? 'Post reply' : 'Post comment'}
        </Button>
        {onDone && <Button onClick={onDone}>Cancel</Button>}
      </div>
    </form>
  );
}
