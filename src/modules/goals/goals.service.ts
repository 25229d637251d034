import { clamp } from '../../lib/category-filter.ts';
import { notFound, unprocessable } from '../../lib/errors.ts';
import { goalId } from '../../lib/ids.ts';
import { type Clock, toIso, toStoredDateTime } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import type { CreateGoalRequest, UpdateGoalRequest } from './goals.schema.ts';
import type { Goal, GoalHistoryEntry, GoalMetric, GoalPatch } from './goals.types.ts';

export type CreateGoalInput = CreateGoalRequest;
export type UpdateGoalInput = UpdateGoalRequest;

export const MAX_UNIT_LENGTH = 64;
const DAY_MS = 24 * 60 * 60 * 1000;

const METRIC_FIELDS = ['target_value', 'current_value', 'min_value', 'max_value', 'unit'] as const;
const UPDATE_FIELDS = ['title', 'desired_outcome', 'why_it_matters', 'success_criteria', 'horizon_at', ...METRIC_FIELDS] as const;

const GOAL_NOT_FOUND = 'Goal not found';

function requiredText(value: string | null | undefined, field: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw unprocessable(`${field} cannot be empty`);
  return text;
}

/** Optional free text is trimmed; a blank value is stored as "not set". */
const optionalText = (value: string | null | undefined): string | null => value?.trim() || null;

/** Criteria are trimmed and blank entries dropped (the schema already caps them at 20). */
const criteria = (values: readonly string[]): string[] => values.map((c) => c.trim()).filter((c) => c !== '');

const horizon = (value: string | null | undefined): string | null => (value ? toStoredDateTime(value, 'horizon_at') : null);

function unit(value: string | null | undefined): string | null {
  const text = optionalText(value);
  if (text !== null && text.length > MAX_UNIT_LENGTH) {
    throw unprocessable(`unit must be at most ${MAX_UNIT_LENGTH} characters`);
  }
  return text;
}

function checkRange(metric: GoalMetric): GoalMetric {
  if (metric.min !== null && metric.max !== null && metric.min > metric.max) {
    throw unprocessable('min_value cannot be greater than max_value');
  }
  return metric;
}

/** A goal with no metric is qualitative; progress on it starts a `scale` metric from zero. */
const emptyMetric = (): GoalMetric => ({ type: 'scale', current: 0, target: 0, min: null, max: null, unit: null });

export class GoalsService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /**
   * Active goals (background/focused) up to `limit` (clamped to 1..1000), or every goal, with the
   * limit ignored, when `includeInactive`. Upstream's order is unknown: focused goals come first by
   * rank, then the newest.
   */
  list(userId: string, query: { limit: number; include_inactive: boolean }): Promise<Goal[]> {
    return this.storage.goals.list(userId, { includeInactive: query.include_inactive, limit: clamp(query.limit, 1, 1000) });
  }

  async get(userId: string, id: string): Promise<Goal> {
    const goal = await this.storage.goals.get(userId, id);
    if (!goal) throw notFound(GOAL_NOT_FOUND);
    return goal;
  }

  /** Metrics are optional: one is built only when `target_value` or `goal_type` is given. */
  async create(userId: string, input: CreateGoalInput): Promise<Goal> {
    const title = requiredText(input.title, 'title');
    const hasMetric = (input.target_value ?? null) !== null || (input.goal_type ?? null) !== null;
    const metric: GoalMetric | null = hasMetric
      ? checkRange({
          type: input.goal_type ?? 'scale',
          current: input.current_value ?? 0,
          target: input.target_value ?? 0,
          min: input.min_value ?? null,
          max: input.max_value ?? null,
          unit: unit(input.unit),
        })
      : null;
    const now = toIso(this.clock.now());
    const id = goalId();
    const goal: Goal = {
      id,
      userId,
      title,
      // Upstream falls back to the title when no outcome is given; a blank one counts as none.
      desiredOutcome: optionalText(input.desired_outcome) ?? title,
      whyItMatters: optionalText(input.why_it_matters),
      successCriteria: criteria(input.success_criteria ?? []),
      horizonAt: horizon(input.horizon_at),
      status: 'background',
      focusRank: null,
      source: 'user',
      metric,
      createdAt: now,
      updatedAt: now,
    };
    await this.storage.goals.insert(goal);
    return goal;
  }

  /**
   * Applies only the fields present in the body. A present `null` clears the optional fields
   * (why_it_matters, horizon_at, min_value, max_value, unit) but is rejected for the fields a goal
   * cannot be without. Metric fields on a qualitative goal give it a `scale` metric; a metric field
   * sent as null on a qualitative goal changes nothing. Every `current_value` sent is recorded in
   * the progress history, as the progress endpoint does.
   */
  async update(userId: string, id: string, input: UpdateGoalInput): Promise<Goal> {
    const has = (field: (typeof UPDATE_FIELDS)[number]) => field in input;
    if (!UPDATE_FIELDS.some(has)) throw unprocessable('At least one field must be provided');

    const now = toIso(this.clock.now());
    const patch: GoalPatch = { updatedAt: now };
    if (has('title')) patch.title = requiredText(input.title, 'title');
    if (has('desired_outcome')) patch.desiredOutcome = requiredText(input.desired_outcome, 'desired_outcome');
    if (has('why_it_matters')) patch.whyItMatters = optionalText(input.why_it_matters);
    if (has('success_criteria')) {
      if (!input.success_criteria) throw unprocessable('success_criteria cannot be null; use an empty list to clear it');
      patch.successCriteria = criteria(input.success_criteria);
    }
    if (has('horizon_at')) patch.horizonAt = horizon(input.horizon_at);
    if (has('target_value') && input.target_value === null) throw unprocessable('target_value cannot be null');
    if (has('current_value') && input.current_value === null) throw unprocessable('current_value cannot be null');
    const newUnit = has('unit') ? unit(input.unit) : undefined;
    const touchesMetric = METRIC_FIELDS.some((field) => has(field) && input[field] !== null);

    return this.storage.transaction(async (tx) => {
      const existing = await tx.goals.get(userId, id);
      if (!existing) throw notFound(GOAL_NOT_FOUND);
      if (existing.metric || touchesMetric) {
        const metric = { ...(existing.metric ?? emptyMetric()) };
        if (input.target_value != null) metric.target = input.target_value;
        if (input.current_value != null) metric.current = input.current_value;
        if (has('min_value')) metric.min = input.min_value ?? null;
        if (has('max_value')) metric.max = input.max_value ?? null;
        if (newUnit !== undefined) metric.unit = newUnit;
        patch.metric = checkRange(metric);
      }
      const updated = await tx.goals.update(userId, id, patch);
      if (!updated) throw notFound(GOAL_NOT_FOUND);
      if (input.current_value != null) await tx.goals.addHistory(userId, id, { value: input.current_value, recordedAt: now });
      return updated;
    });
  }

  /** Sets the current value and records a history point; a qualitative goal gets a `scale` metric. */
  async updateProgress(userId: string, id: string, currentValue: number): Promise<Goal> {
    const now = toIso(this.clock.now());
    return this.storage.transaction(async (tx) => {
      const existing = await tx.goals.get(userId, id);
      if (!existing) throw notFound(GOAL_NOT_FOUND);
      const metric = { ...(existing.metric ?? emptyMetric()), current: currentValue };
      const updated = await tx.goals.update(userId, id, { metric, updatedAt: now });
      if (!updated) throw notFound(GOAL_NOT_FOUND);
      await tx.goals.addHistory(userId, id, { value: currentValue, recordedAt: now });
      return updated;
    });
  }

  /** Points recorded in the last `days` days (1..365 by schema), oldest first. */
  async history(userId: string, id: string, days: number): Promise<GoalHistoryEntry[]> {
    await this.get(userId, id);
    const since = toIso(new Date(this.clock.now().getTime() - days * DAY_MS));
    return this.storage.goals.history(userId, id, since);
  }

  async delete(userId: string, id: string): Promise<void> {
    // History rows go with the goal (ON DELETE CASCADE).
    if (!(await this.storage.goals.delete(userId, id))) throw notFound(GOAL_NOT_FOUND);
  }
}
