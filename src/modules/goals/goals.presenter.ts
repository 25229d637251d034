import { toPythonIso } from '../../lib/time.ts';
import type { DeveloperGoal, GoalHistoryEntryResponse } from './goals.schema.ts';
import type { Goal, GoalHistoryEntry, GoalStatus } from './goals.types.ts';

/** Upstream's legacy "active" flag: a goal being pursued, whether focused or in the background. */
const ACTIVE: readonly GoalStatus[] = ['background', 'focused'];

/**
 * The one place a goal becomes its wire shape (DeveloperGoal). Timestamps use Python's
 * `isoformat()` form (`+00:00`), as upstream serialises goals.
 *
 * The legacy fields (goal_type, target_value, …) are required numbers, so they mirror the metric
 * when there is one. What upstream sends for a qualitative goal is not known; we send the neutral
 * values `scale` / 0 / null unit, and 0 for a metric's missing min or max.
 */
export function presentGoal(goal: Goal): DeveloperGoal {
  const metric = goal.metric;
  return {
    id: goal.id,
    goal_id: goal.id,
    title: goal.title,
    desired_outcome: goal.desiredOutcome,
    why_it_matters: goal.whyItMatters,
    success_criteria: goal.successCriteria,
    horizon_at: goal.horizonAt === null ? null : toPythonIso(goal.horizonAt),
    status: goal.status,
    focus_rank: goal.focusRank,
    metric: metric && { ...metric },
    source: goal.source,
    goal_type: metric?.type ?? 'scale',
    target_value: metric?.target ?? 0,
    current_value: metric?.current ?? 0,
    min_value: metric?.min ?? 0,
    max_value: metric?.max ?? 0,
    unit: metric?.unit ?? null,
    is_active: ACTIVE.includes(goal.status),
    created_at: toPythonIso(goal.createdAt),
    updated_at: toPythonIso(goal.updatedAt),
  };
}

/** `date` is the UTC calendar day of the point. */
export function presentHistoryEntry(entry: GoalHistoryEntry): GoalHistoryEntryResponse {
  return { date: entry.recordedAt.slice(0, 10), value: entry.value, recorded_at: toPythonIso(entry.recordedAt) };
}
