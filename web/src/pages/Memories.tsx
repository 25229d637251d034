import { useState } from 'preact/hooks';
import { MEMORY_CATEGORIES } from '../../../src/modules/memories/categories.ts';
import { api, dev, query } from '../api.ts';
import { ErrorBox, formatDate, useAction, useLoad } from '../components/ui.tsx';

interface Memory {
  id: string;
  content: string;
  category: string;
  tags: string[];
  created_at: string | null;
  updated_at: string | null;
}

const PAGE = 50;

function CategorySelect({ id, value, onChange, any }: { id: string; value: string; onChange: (v: string) => void; any: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{any}</option>
      {MEMORY_CATEGORIES.map((category) => (
        <option key={category} value={category}>
          {category}
        </option>
      ))}
    </select>
  );
}

function MemoryRow({ memory, onChanged }: { memory: Memory; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [content, setContent] = useState(memory.content);
  const [category, setCategory] = useState(memory.category);
  const action = useAction();
  const path = dev(`/v1/dev/user/memories/${encodeURIComponent(memory.id)}`);

  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api.patch(path, { content, category });
      setEditing(false);
      onChanged();
    });
  };
  const remove = () => {
    if (!confirm('Delete this memory?')) return;
    void action.run(async () => {
      await api.del(path);
      onChanged();
    });
  };

  if (editing) {
    return (
      <li class="item">
        <form onSubmit={save}>
          <label for={`content-${memory.id}`}>Memory</label>
          <textarea id={`content-${memory.id}`} required maxLength={500} value={content} onInput={(e) => setContent(e.currentTarget.value)} />
          <label for={`category-${memory.id}`}>Category</label>
          <CategorySelect id={`category-${memory.id}`} value={category} onChange={setCategory} any="(unchanged)" />
          <ErrorBox error={action.error} />
          <div class="row">
            <button type="submit" class="primary" disabled={action.busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </li>
    );
  }
  return (
    <li class="item">
      <p class="content">{memory.content}</p>
      <p class="meta">
        <span class="tag">{memory.category}</span> {formatDate(memory.created_at)}
      </p>
      <ErrorBox error={action.error} />
      <div class="row">
        <button type="button" onClick={() => setEditing(true)} aria-label={`Edit memory: ${memory.content.slice(0, 40)}`}>
          Edit
        </button>
        <button type="button" class="danger" onClick={remove} aria-label={`Delete memory: ${memory.content.slice(0, 40)}`}>
          Delete
        </button>
      </div>
    </li>
  );
}

export function Memories() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useLoad(
    () => api.get<Memory[]>(dev(`/v1/dev/user/memories${query({ q: search, categories: category, limit: PAGE, offset })}`)),
    [search, category, offset],
  );
  const [content, setContent] = useState('');
  const [newCategory, setNewCategory] = useState('');
  const add = useAction();

  const create = (event: Event) => {
    event.preventDefault();
    void add.run(async () => {
      await api.post(dev('/v1/dev/user/memories'), { content, ...(newCategory && { category: newCategory }) });
      setContent('');
      list.reload();
    });
  };

  return (
    <section aria-labelledby="memories-title">
      <h1 id="memories-title">Memories</h1>
      <form class="card" onSubmit={create}>
        <label for="new-memory">New memory</label>
        <textarea id="new-memory" required maxLength={500} value={content} onInput={(e) => setContent(e.currentTarget.value)} />
        <label for="new-memory-category">Category</label>
        <CategorySelect id="new-memory-category" value={newCategory} onChange={setNewCategory} any="Automatic" />
        <ErrorBox error={add.error} />
        <button type="submit" class="primary" disabled={add.busy}>
          Add memory
        </button>
      </form>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setSearch(q.trim());
        }}
      >
        <div class="field">
          <label for="memory-search">Search</label>
          <input id="memory-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="memory-filter">Filter by category</label>
          <CategorySelect
            id="memory-filter"
            value={category}
            onChange={(value) => {
              setOffset(0);
              setCategory(value);
            }}
            any="All categories"
          />
        </div>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 && <p class="muted">No memories found.</p>}
      <ul class="list" aria-label="Memories">
        {list.data?.map((memory) => <MemoryRow key={`${memory.id}:${memory.updated_at}`} memory={memory} onChanged={list.reload} />)}
      </ul>
      <Pager offset={offset} size={list.data?.length ?? 0} page={PAGE} onOffset={setOffset} />
    </section>
  );
}

export function Pager({ offset, size, page, onOffset }: { offset: number; size: number; page: number; onOffset: (n: number) => void }) {
  if (offset === 0 && size < page) return null;
  return (
    <nav class="row pager" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - page))}>
        Previous
      </button>
      <button type="button" disabled={size < page} onClick={() => onOffset(offset + page)}>
        Next
      </button>
    </nav>
  );
}
