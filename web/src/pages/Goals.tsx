import { useState } from 'preact/hooks';
import { api, dev, query } from '../api.ts';
import { ProgressChart } from '../components/Chart.tsx';
import { ErrorBox, formatDate, Link, useAction, useLoad } from '../components/ui.tsx';
import { navigate } from '../routes.ts';

interface Goal {
  id: string;
  title: string;
  desired_outcome: string;
  status: string;
  goal_type: string;
  target_value: number;
  current_value: number;
  min_value: number;
  max_value: number;
  unit?: string | null;
  is_active: boolean;
  updated_at: string;
}

interface HistoryEntry {
  date: string;
  value: number;
  recorded_at: string;
}

const percent = (goal: Goal) =>
  goal.target_value === goal.min_value ? 0 : Math.max(0, Math.min(100, ((goal.current_value - goal.min_value) / (goal.target_value - goal.min_value)) * 100));

export function Goals() {
  const list = useLoad(() => api.get<Goal[]>(dev(`/v1/dev/user/goals${query({ include_inactive: true, limit: 50 })}`)), []);
  const [title, setTitle] = useState('');
  const [target, setTarget] = useState('10');
  const [unit, setUnit] = useState('');
  const add = useAction();

  const create = (event: Event) => {
    event.preventDefault();
    void add.run(async () => {
      await api.post(dev('/v1/dev/user/goals'), {
        title,
        goal_type: 'numeric',
        target_value: Number(target),
        current_value: 0,
        ...(unit && { unit }),
      });
      setTitle('');
      setUnit('');
      list.reload();
    });
  };

  return (
    <section aria-labelledby="goals-title">
      <h1 id="goals-title">Goals</h1>
      <form class="card" onSubmit={create}>
        <label for="goal-title">New goal</label>
        <input id="goal-title" required maxLength={500} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        <div class="row">
          <div>
            <label for="goal-target">Target</label>
            <input id="goal-target" type="number" step="any" required value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
          </div>
          <div>
            <label for="goal-unit">Unit</label>
            <input id="goal-unit" maxLength={64} value={unit} onInput={(e) => setUnit(e.currentTarget.value)} />
          </div>
        </div>
        <ErrorBox error={add.error} />
        <button type="submit" class="primary" disabled={add.busy}>
          Add goal
        </button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 && <p class="muted">No goals yet.</p>}
      <ul class="list" aria-label="Goals">
        {list.data?.map((goal) => (
          <li key={goal.id} class="item">
            <Link href={`/goals/${encodeURIComponent(goal.id)}`} class="title">
              {goal.title}
            </Link>
            <progress max={100} value={percent(goal)} aria-label={`Progress of ${goal.title}`} />
            <p class="meta">
              {goal.current_value} / {goal.target_value} {goal.unit ?? ''} · {goal.status}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function GoalDetail({ id }: { id: string }) {
  const path = dev(`/v1/dev/user/goals/${encodeURIComponent(id)}`);
  const goal = useLoad(() => api.get<Goal>(path), [id]);
  const history = useLoad(() => api.get<HistoryEntry[]>(`${path}/history?days=365`), [id]);
  const [value, setValue] = useState('');
  const action = useAction();

  if (goal.error) return <ErrorBox error={goal.error} />;
  if (!goal.data) return <p class="loading">Loading…</p>;
  const data = goal.data;

  const record = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api.patch(`${path}/progress${query({ current_value: Number(value) })}`, undefined);
      setValue('');
      goal.reload();
      history.reload();
    });
  };
  const remove = () => {
    if (!confirm(`Delete the goal “${data.title}” and its history?`)) return;
    void action.run(async () => {
      await api.del(path);
      navigate('/goals');
    });
  };

  return (
    <article aria-labelledby="goal-title-h">
      <p>
        <Link href="/goals">← All goals</Link>
      </p>
      <h1 id="goal-title-h">{data.title}</h1>
      <p class="meta">
        {data.current_value} / {data.target_value} {data.unit ?? ''} · {data.status} · updated {formatDate(data.updated_at)}
      </p>
      <h2>Progress</h2>
      <ErrorBox error={history.error} />
      {history.data && (
        <ProgressChart
          label={data.title}
          target={data.target_value}
          unit={data.unit ?? ''}
          points={history.data.map((entry) => ({ at: entry.recorded_at, value: entry.value }))}
        />
      )}
      <form class="card" onSubmit={record}>
        <label for="goal-progress">Record progress</label>
        <div class="row">
          <input id="goal-progress" type="number" step="any" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={action.busy}>
            Record
          </button>
        </div>
        <ErrorBox error={action.error} />
      </form>
      <button type="button" class="danger" onClick={remove}>
        Delete goal
      </button>
    </article>
  );
}
