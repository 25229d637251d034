import { useState } from 'preact/hooks';
import { CONVERSATION_CATEGORIES } from '../../../src/modules/conversations/categories.ts';
import { api, dev, query } from '../api.ts';
import { ErrorBox, formatDate, fromLocalInput, Link, useLoad } from '../components/ui.tsx';
import { Pager } from './Memories.tsx';

interface Segment {
  id: string | null;
  text: string;
  speaker_id: number | null;
  speaker_name: string | null;
  start: number;
  end: number;
}

interface Conversation {
  id: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  structured: {
    title: string;
    overview: string;
    emoji: string;
    category: string;
    action_items: { description: string; completed: boolean; due_at: string | null }[];
    events: { title: string; description: string; start: string; duration: number }[];
  };
  transcript_segments?: Segment[] | null;
  folder_id: string | null;
  folder_name: string | null;
}

interface Folder {
  id: string;
  name: string;
  conversation_count: number;
}

const PAGE = 25;

export function Conversations() {
  const folders = useLoad(() => api.get<Folder[]>(dev('/v1/dev/user/folders')), []);
  const [draft, setDraft] = useState({ q: '', category: '', folder: '', from: '', to: '' });
  const [filters, setFilters] = useState(draft);
  const [offset, setOffset] = useState(0);
  const list = useLoad(
    () =>
      api.get<Conversation[]>(
        dev(
          `/v1/dev/user/conversations${query({
            q: filters.q,
            categories: filters.category,
            folder_id: filters.folder,
            start_date: fromLocalInput(filters.from),
            end_date: fromLocalInput(filters.to),
            limit: PAGE,
            offset,
          })}`,
        ),
      ),
    [filters, offset],
  );
  const set = (field: keyof typeof draft) => (event: Event) => setDraft({ ...draft, [field]: (event.currentTarget as HTMLInputElement).value });

  return (
    <section aria-labelledby="conversations-title">
      <h1 id="conversations-title">Conversations</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilters({ ...draft, q: draft.q.trim() });
        }}
      >
        <div class="field">
          <label for="conversation-search">Search</label>
          <input id="conversation-search" type="search" value={draft.q} onInput={set('q')} />
        </div>
        <div class="field">
          <label for="conversation-category">Category</label>
          <select id="conversation-category" value={draft.category} onChange={set('category')}>
            <option value="">All categories</option>
            {CONVERSATION_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {category}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="conversation-folder">Folder</label>
          <select id="conversation-folder" value={draft.folder} onChange={set('folder')}>
            <option value="">All folders</option>
            {folders.data?.map((folder) => (
              <option key={folder.id} value={folder.id}>
                {folder.name} ({folder.conversation_count})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="conversation-from">From</label>
          <input id="conversation-from" type="datetime-local" value={draft.from} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="conversation-to">To</label>
          <input id="conversation-to" type="datetime-local" value={draft.to} onInput={set('to')} />
        </div>
        <button type="submit">Apply</button>
      </form>
      <ErrorBox error={list.error ?? folders.error} />
      {list.data && list.data.length === 0 && <p class="muted">No conversations found.</p>}
      <ul class="list" aria-label="Conversations">
        {list.data?.map((conversation) => (
          <li key={conversation.id} class="item">
            <Link href={`/conversations/${encodeURIComponent(conversation.id)}`} class="title">
              <span aria-hidden="true">{conversation.structured.emoji} </span>
              {conversation.structured.title || 'Untitled conversation'}
            </Link>
            <p class="content">{conversation.structured.overview}</p>
            <p class="meta">
              <span class="tag">{conversation.structured.category}</span> {conversation.folder_name && <span class="tag">{conversation.folder_name}</span>}{' '}
              {formatDate(conversation.started_at ?? conversation.created_at)}
            </p>
          </li>
        ))}
      </ul>
      <Pager offset={offset} size={list.data?.length ?? 0} page={PAGE} onOffset={setOffset} />
    </section>
  );
}

/** Consecutive segments of one speaker, shown as one turn. */
function turns(segments: Segment[]): { speaker: string; text: string; start: number }[] {
  const result: { speaker: string; text: string; start: number }[] = [];
  for (const segment of segments) {
    const speaker = segment.speaker_name ?? (segment.speaker_id === null ? 'Unknown speaker' : `Speaker ${segment.speaker_id}`);
    const last = result[result.length - 1];
    if (last && last.speaker === speaker) last.text += ` ${segment.text}`;
    else result.push({ speaker, text: segment.text, start: segment.start });
  }
  return result;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

export function ConversationDetail({ id }: { id: string }) {
  const item = useLoad(
    () => api.get<Conversation>(dev(`/v1/dev/user/conversations/${encodeURIComponent(id)}?include_transcript=true`)),
    [id],
  );
  if (item.error) return <ErrorBox error={item.error} />;
  const conversation = item.data;
  if (!conversation) return <p class="loading">Loading…</p>;
  const { structured } = conversation;
  return (
    <article aria-labelledby="conversation-title">
      <p>
        <Link href="/conversations">← All conversations</Link>
      </p>
      <h1 id="conversation-title">
        <span aria-hidden="true">{structured.emoji} </span>
        {structured.title || 'Untitled conversation'}
      </h1>
      <p class="meta">
        <span class="tag">{structured.category}</span> Folder: {conversation.folder_name ?? 'none'} ·{' '}
        {formatDate(conversation.started_at ?? conversation.created_at)}
      </p>
      <h2>Overview</h2>
      <p>{structured.overview || '—'}</p>
      <h2>Action items</h2>
      {structured.action_items.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul aria-label="Action items of this conversation">
          {structured.action_items.map((action, i) => (
            <li key={i}>
              {action.completed ? '✓ ' : ''}
              {action.description}
              {action.due_at && <span class="muted"> (due {formatDate(action.due_at)})</span>}
            </li>
          ))}
        </ul>
      )}
      <h2>Events</h2>
      {structured.events.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul aria-label="Events">
          {structured.events.map((event, i) => (
            <li key={i}>
              <strong>{event.title}</strong> — {formatDate(event.start)} ({event.duration} min){event.description && `: ${event.description}`}
            </li>
          ))}
        </ul>
      )}
      <h2>Transcript</h2>
      {(conversation.transcript_segments ?? []).length === 0 ? (
        <p class="muted">No transcript.</p>
      ) : (
        <ol class="transcript" aria-label="Transcript">
          {turns(conversation.transcript_segments ?? []).map((turn, i) => (
            <li key={i}>
              <span class="speaker">{turn.speaker}</span> <span class="muted">{clock(turn.start)}</span>
              <p>{turn.text}</p>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
