import { Type, type Static } from 'typebox';
import { component, DateTime, Nullable, StringEnum } from '../../http/schema.ts';
import { GOAL_TYPES } from './goals.types.ts';

/** Wire schemas for goals, named and shaped as in the published OpenAPI document. */
export const GoalTypeSchema = component('GoalType', StringEnum(GOAL_TYPES));

export const GoalMetricSchema = component(
  'GoalMetric',
  Type.Object(
    {
      type: GoalTypeSchema,
      current: Type.Number({ title: 'Current' }),
      target: Type.Number({ title: 'Target' }),
      min: Type.Optional(Nullable(Type.Number(), { title: 'Min' })),
      max: Type.Optional(Nullable(Type.Number(), { title: 'Max' })),
      unit: Type.Optional(Nullable(Type.String({ maxLength: 64 }), { title: 'Unit' })),
    },
    { additionalProperties: false },
  ),
);

export const DeveloperGoal = component(
  'DeveloperGoal',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    goal_id: Type.String({ title: 'Goal Id' }),
    title: Type.String({ title: 'Title' }),
    desired_outcome: Type.String({ title: 'Desired Outcome' }),
    why_it_matters: Type.Optional(Nullable(Type.String(), { title: 'Why It Matters' })),
    success_criteria: Type.Optional(Type.Array(Type.String(), { title: 'Success Criteria' })),
    horizon_at: Type.Optional(Nullable(DateTime(), { title: 'Horizon At' })),
    status: Type.String({ title: 'Status' }),
    focus_rank: Type.Optional(Nullable(Type.Integer(), { title: 'Focus Rank' })),
    metric: Type.Optional(Nullable(GoalMetricSchema)),
    source: Type.String({ title: 'Source' }),
    goal_type: Type.String({ title: 'Goal Type' }),
    target_value: Type.Number({ title: 'Target Value' }),
    current_value: Type.Number({ title: 'Current Value' }),
    min_value: Type.Number({ title: 'Min Value' }),
    max_value: Type.Number({ title: 'Max Value' }),
    unit: Type.Optional(Nullable(Type.String(), { title: 'Unit' })),
    is_active: Type.Boolean({ title: 'Is Active' }),
    created_at: DateTime({ title: 'Created At' }),
    updated_at: DateTime({ title: 'Updated At' }),
  }),
);
export type DeveloperGoal = Static<typeof DeveloperGoal>;

export const CreateGoalRequest = component(
  'CreateGoalRequest',
  Type.Object({
    title: Type.String({ minLength: 1, maxLength: 500, title: 'Title', description: 'The goal title/description' }),
    desired_outcome: Type.Optional(Nullable(Type.String({ maxLength: 2000 }), { title: 'Desired Outcome' })),
    why_it_matters: Type.Optional(Nullable(Type.String({ maxLength: 2000 }), { title: 'Why It Matters' })),
    success_criteria: Type.Optional(Type.Array(Type.String(), { maxItems: 20, title: 'Success Criteria' })),
    horizon_at: Type.Optional(Nullable(DateTime(), { title: 'Horizon At' })),
    goal_type: Type.Optional(Nullable(GoalTypeSchema, { description: 'Optional metric type' })),
    target_value: Type.Optional(
      Nullable(Type.Number(), { title: 'Target Value', description: 'Optional target value' }),
    ),
    current_value: Type.Optional(
      Nullable(Type.Number(), { title: 'Current Value', description: 'Optional current progress' }),
    ),
    min_value: Type.Optional(
      Nullable(Type.Number(), { title: 'Min Value', description: 'Optional minimum scale value' }),
    ),
    max_value: Type.Optional(
      Nullable(Type.Number(), { title: 'Max Value', description: 'Optional maximum scale value' }),
    ),
    unit: Type.Optional(
      Nullable(Type.String(), { title: 'Unit', description: "Unit label (e.g., 'users', 'points')" }),
    ),
  }),
);
export type CreateGoalRequest = Static<typeof CreateGoalRequest>;

/** Every field is optional; a field sent as `null` is "present" (see GoalsService.update). */
export const UpdateGoalRequest = component(
  'UpdateGoalRequest',
  Type.Object({
    title: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 500 }), { title: 'Title', description: 'New title' }),
    ),
    desired_outcome: Type.Optional(Nullable(Type.String({ maxLength: 2000 }), { title: 'Desired Outcome' })),
    why_it_matters: Type.Optional(Nullable(Type.String({ maxLength: 2000 }), { title: 'Why It Matters' })),
    success_criteria: Type.Optional(
      Nullable(Type.Array(Type.String(), { maxItems: 20 }), { title: 'Success Criteria' }),
    ),
    horizon_at: Type.Optional(Nullable(DateTime(), { title: 'Horizon At' })),
    target_value: Type.Optional(
      Nullable(Type.Number(), { title: 'Target Value', description: 'New target value' }),
    ),
    current_value: Type.Optional(
      Nullable(Type.Number(), { title: 'Current Value', description: 'New progress value' }),
    ),
    min_value: Type.Optional(Nullable(Type.Number(), { title: 'Min Value', description: 'New minimum value' })),
    max_value: Type.Optional(Nullable(Type.Number(), { title: 'Max Value', description: 'New maximum value' })),
    unit: Type.Optional(Nullable(Type.String(), { title: 'Unit', description: 'New unit label' })),
  }),
);
export type UpdateGoalRequest = Static<typeof UpdateGoalRequest>;

export const GoalHistoryEntryResponse = component(
  'GoalHistoryEntryResponse',
  Type.Object({
    date: Type.String({ title: 'Date' }),
    value: Type.Number({ title: 'Value' }),
    recorded_at: DateTime({ title: 'Recorded At' }),
  }),
);
export type GoalHistoryEntryResponse = Static<typeof GoalHistoryEntryResponse>;

export const ListGoalsQuery = Type.Object({
  limit: Type.Integer({ default: 10, title: 'Limit' }),
  include_inactive: Type.Boolean({ default: false, title: 'Include Inactive' }),
});

export const GoalProgressQuery = Type.Object({
  current_value: Type.Number({ title: 'Current Value', description: 'New progress value' }),
});

export const GoalHistoryQuery = Type.Object({
  days: Type.Integer({ default: 30, minimum: 1, maximum: 365, title: 'Days' }),
});

export const GoalIdParams = Type.Object({ goal_id: Type.String({ title: 'Goal Id' }) });
