import { sql, type Kysely, type Selectable } from 'kysely';
import type { Goal, GoalMetric, GoalStatus, GoalType } from '../../modules/goals/goals.types.ts';
import type { Database, GoalsTable } from '../schema.ts';
import type { GoalsRepository } from '../storage.ts';
import { deleteOwned, fromJsonList } from './rows.ts';

const ACTIVE_STATUSES: GoalStatus[] = ['background', 'focused'];

const toGoal = (row: Selectable<GoalsTable>): Goal => ({
  id: row.id,
  userId: row.user_id,
  title: row.title,
  desiredOutcome: row.desired_outcome,
  whyItMatters: row.why_it_matters,
  successCriteria: fromJsonList(row.success_criteria),
  horizonAt: row.horizon_at,
  status: row.status as GoalStatus,
  focusRank: row.focus_rank,
  source: row.source,
  metric:
    row.metric_type === null
      ? null
      : {
          type: row.metric_type as GoalType,
          current: row.metric_current ?? 0,
          target: row.metric_target ?? 0,
          min: row.metric_min,
          max: row.metric_max,
          unit: row.metric_unit,
        },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const metricColumns = (metric: GoalMetric | null) => ({
  metric_type: metric?.type ?? null,
  metric_current: metric?.current ?? null,
  metric_target: metric?.target ?? null,
  metric_min: metric?.min ?? null,
  metric_max: metric?.max ?? null,
  metric_unit: metric?.unit ?? null,
});

export function goalsRepository(db: Kysely<Database>): GoalsRepository {
  const get = async (userId: string, id: string) => {
    const row = await db
      .selectFrom('goals')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toGoal(row);
  };
  return {
    async insert(goal) {
      await db
        .insertInto('goals')
        .values({
          id: goal.id,
          user_id: goal.userId,
          title: goal.title,
          desired_outcome: goal.desiredOutcome,
          why_it_matters: goal.whyItMatters,
          success_criteria: JSON.stringify(goal.successCriteria),
          horizon_at: goal.horizonAt,
          status: goal.status,
          focus_rank: goal.focusRank,
          source: goal.source,
          ...metricColumns(goal.metric),
          created_at: goal.createdAt,
          updated_at: goal.updatedAt,
        })
        .execute();
    },
    async list(userId, { includeInactive, limit }) {
      let query = db.selectFrom('goals').selectAll().where('user_id', '=', userId);
      if (!includeInactive) query = query.where('status', 'in', ACTIVE_STATUSES);
      // Focused goals first (by rank), then the newest.
      query = query
        .orderBy(sql`case when focus_rank is null then 1 else 0 end`)
        .orderBy('focus_rank', 'asc')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc');
      const rows = await (includeInactive ? query : query.limit(limit)).execute();
      return rows.map(toGoal);
    },
    get,
    async update(userId, id, patch) {
      const result = await db
        .updateTable('goals')
        .set({
          ...(patch.title !== undefined && { title: patch.title }),
          ...(patch.desiredOutcome !== undefined && { desired_outcome: patch.desiredOutcome }),
          ...(patch.whyItMatters !== undefined && { why_it_matters: patch.whyItMatters }),
          ...(patch.successCriteria !== undefined && { success_criteria: JSON.stringify(patch.successCriteria) }),
          ...(patch.horizonAt !== undefined && { horizon_at: patch.horizonAt }),
          ...(patch.metric !== undefined && metricColumns(patch.metric)),
          updated_at: patch.updatedAt,
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? get(userId, id) : undefined;
    },
    delete: (userId, id) => deleteOwned(db, 'goals', userId, id),
    async addHistory(userId, goalId, entry) {
      await db
        .insertInto('goal_history')
        .values({ goal_id: goalId, user_id: userId, value: entry.value, recorded_at: entry.recordedAt })
        .execute();
    },
    async history(userId, goalId, since) {
      const rows = await db
        .selectFrom('goal_history')
        .select(['value', 'recorded_at'])
        .where('user_id', '=', userId)
        .where('goal_id', '=', goalId)
        .where('recorded_at', '>=', since)
        .orderBy('recorded_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map((r) => ({ value: r.value, recordedAt: r.recorded_at }));
    },
  };
}
