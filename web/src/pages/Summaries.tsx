import { useState } from 'preact/hooks';
import { api, dev, query } from '../api.ts';
import { ErrorBox, useLoad } from '../components/ui.tsx';
import { Pager } from './Memories.tsx';

interface Summary {
  id: string;
  date: string;
  day_emoji: string;
  headline: string;
  overview: string;
  stats: { total_conversations: number; action_items_count: number; words_spoken: number; total_duration_minutes: number };
  highlights: string[];
  action_items: { description: string; completed: boolean }[];
  knowledge_nuggets: string[];
}

const PAGE = 10;

export function Summaries() {
  const [offset, setOffset] = useState(0);
  const list = useLoad(() => api.get<{ summaries: Summary[] }>(dev(`/v1/dev/user/daily-summaries${query({ limit: PAGE, offset })}`)), [offset]);
  const summaries = list.data?.summaries;
  return (
    <section aria-labelledby="summaries-title">
      <h1 id="summaries-title">Daily summaries</h1>
      <ErrorBox error={list.error} />
      {summaries && summaries.length === 0 && <p class="muted">No daily summaries yet: they are written after your conversations of the day.</p>}
      {summaries?.map((summary) => (
        <article key={summary.id} class="card" aria-labelledby={`summary-${summary.id}`}>
          <h2 id={`summary-${summary.id}`}>
            <span aria-hidden="true">{summary.day_emoji} </span>
            {summary.date}: {summary.headline}
          </h2>
          <p>{summary.overview}</p>
          <p class="meta">
            {summary.stats.total_conversations} conversations · {summary.stats.action_items_count} action items ·{' '}
            {summary.stats.words_spoken} words · {summary.stats.total_duration_minutes} min
          </p>
          {summary.highlights.length > 0 && (
            <>
              <h3>Highlights</h3>
              <ul>
                {summary.highlights.map((text, i) => (
                  <li key={i}>{text}</li>
                ))}
              </ul>
            </>
          )}
          {summary.action_items.length > 0 && (
            <>
              <h3>Action items</h3>
              <ul>
                {summary.action_items.map((item, i) => (
                  <li key={i}>
                    {item.completed ? '✓ ' : ''}
                    {item.description}
                  </li>
                ))}
              </ul>
            </>
          )}
          {summary.knowledge_nuggets.length > 0 && (
            <>
              <h3>Learned</h3>
              <ul>
                {summary.knowledge_nuggets.map((text, i) => (
                  <li key={i}>{text}</li>
                ))}
              </ul>
            </>
          )}
        </article>
      ))}
      <Pager offset={offset} size={summaries?.length ?? 0} page={PAGE} onOffset={setOffset} />
    </section>
  );
}
