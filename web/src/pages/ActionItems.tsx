import { useState } from 'preact/hooks';
import { api, dev, query } from '../api.ts';
import { ErrorBox, formatDate, fromLocalInput, toLocalInput, useAction, useLoad } from '../components/ui.tsx';

interface ActionItem {
  id: string;
  description: string;
  completed: boolean;
  due_at?: string | null;
  completed_at?: string | null;
  updated_at?: string | null;
}

function ItemRow({ item, onChanged }: { item: ActionItem; onChanged: () => void }) {
  const [due, setDue] = useState(toLocalInput(item.due_at));
  const action = useAction();
  const path = dev(`/v1/dev/user/action-items/${encodeURIComponent(item.id)}`);
  const update = (body: Record<string, unknown>) =>
    void action.run(async () => {
      await api.patch(path, body);
      onChanged();
    });
  const remove = () => {
    if (!confirm('Delete this action item?')) return;
    void action.run(async () => {
      await api.del(path);
      onChanged();
    });
  };
  return (
    <li class={`item${item.completed ? ' done' : ''}`}>
      <label class="check">
        <input type="checkbox" checked={item.completed} disabled={action.busy} onChange={(e) => update({ completed: e.currentTarget.checked })} />
        <span class="content">{item.description}</span>
      </label>
      <p class="meta">
        {item.completed ? `Completed ${formatDate(item.completed_at)}` : item.due_at ? `Due ${formatDate(item.due_at)}` : 'No due date'}
      </p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          update({ due_at: fromLocalInput(due) });
        }}
      >
        <label for={`due-${item.id}`} class="sr-only">
          Due date for {item.description}
        </label>
        <input id={`due-${item.id}`} type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        <button type="submit" disabled={action.busy}>
          Set due date
        </button>
        <button type="button" class="danger" onClick={remove} aria-label={`Delete ${item.description}`}>
          Delete
        </button>
      </form>
      <ErrorBox error={action.error} />
    </li>
  );
}

export function ActionItems() {
  const [status, setStatus] = useState<'open' | 'done' | 'all'>('open');
  const list = useLoad(
    () =>
      api.get<ActionItem[]>(
        dev(`/v1/dev/user/action-items${query({ completed: status === 'all' ? undefined : status === 'done', limit: 100 })}`),
      ),
    [status],
  );
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const add = useAction();

  const create = (event: Event) => {
    event.preventDefault();
    void add.run(async () => {
      await api.post(dev('/v1/dev/user/action-items'), { description, due_at: fromLocalInput(due) });
      setDescription('');
      setDue('');
      list.reload();
    });
  };

  return (
    <section aria-labelledby="actions-title">
      <h1 id="actions-title">Action items</h1>
      <form class="card" onSubmit={create}>
        <label for="new-action">New action item</label>
        <input id="new-action" required maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <label for="new-action-due">Due (optional)</label>
        <input id="new-action-due" type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        <ErrorBox error={add.error} />
        <button type="submit" class="primary" disabled={add.busy}>
          Add action item
        </button>
      </form>
      <div class="filters">
        <div class="field">
          <label for="action-status">Show</label>
          <select id="action-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as typeof status)}>
            <option value="open">Open</option>
            <option value="done">Completed</option>
            <option value="all">All</option>
          </select>
        </div>
      </div>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 && <p class="muted">Nothing here.</p>}
      <ul class="list" aria-label="Action items">
        {list.data?.map((item) => <ItemRow key={`${item.id}:${item.updated_at}:${item.completed}`} item={item} onChanged={list.reload} />)}
      </ul>
    </section>
  );
}
