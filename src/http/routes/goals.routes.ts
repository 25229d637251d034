import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentGoal, presentHistoryEntry } from '../../modules/goals/goals.presenter.ts';
import {
  CreateGoalRequest,
  DeveloperGoal,
  GoalHistoryEntryResponse,
  GoalHistoryQuery,
  GoalIdParams,
  GoalProgressQuery,
  ListGoalsQuery,
  UpdateGoalRequest,
} from '../../modules/goals/goals.schema.ts';
import { requireKey } from '../auth.ts';
import { DeveloperSuccessResponse } from '../schema.ts';

const read = { auth: 'developer-key', scope: 'goals:read', policy: 'dev:goals_read' } as const;
const write = { auth: 'developer-key', scope: 'goals:write', policy: 'dev:goals_write' } as const;

export const goalsRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/dev/user/goals', {
    config: read,
    schema: {
      operationId: 'listGoals',
      summary: 'Get Goals',
      description:
        'Get user goals.\n\n- **limit**: Maximum number of goals to return\n- **include_inactive**: If True, includes inactive/completed goals',
      tags: ['Goals'],
      querystring: ListGoalsQuery,
      response: { 200: Type.Array(DeveloperGoal, { title: 'Response Listgoals' }) },
    },
    handler: async (request) => (await services.goals.list(requireKey(request).userId, request.query)).map(presentGoal),
  });

  app.post('/v1/dev/user/goals', {
    config: write,
    schema: {
      operationId: 'createGoal',
      summary: 'Create Goal',
      description:
        'Create a durable goal. Metrics are optional and other goals are never changed implicitly. ' +
        'Omit all metric fields to create a qualitative goal.',
      tags: ['Goals'],
      body: CreateGoalRequest,
      response: { 200: DeveloperGoal },
    },
    handler: async (request) => presentGoal(await services.goals.create(requireKey(request).userId, request.body)),
  });

  app.get('/v1/dev/user/goals/:goal_id', {
    config: read,
    schema: {
      operationId: 'getGoal',
      summary: 'Get Goal',
      description: 'Get a single goal by ID, whatever its status.',
      tags: ['Goals'],
      params: GoalIdParams,
      response: { 200: DeveloperGoal },
    },
    handler: async (request) => presentGoal(await services.goals.get(requireKey(request).userId, request.params.goal_id)),
  });

  app.patch('/v1/dev/user/goals/:goal_id', {
    config: write,
    schema: {
      operationId: 'updateGoal',
      summary: 'Update Goal',
      description: 'Update a goal. Only the fields present in the body are changed.',
      tags: ['Goals'],
      params: GoalIdParams,
      body: UpdateGoalRequest,
      response: { 200: DeveloperGoal },
    },
    handler: async (request) =>
      presentGoal(await services.goals.update(requireKey(request).userId, request.params.goal_id, request.body)),
  });

  app.patch('/v1/dev/user/goals/:goal_id/progress', {
    config: write,
    schema: {
      operationId: 'updateGoalProgress',
      summary: 'Update Goal Progress',
      description: 'Update the progress value of a goal (query parameter `current_value`) and record it in its history.',
      tags: ['Goals'],
      params: GoalIdParams,
      querystring: GoalProgressQuery,
      response: { 200: DeveloperGoal },
    },
    handler: async (request) => {
      const { userId } = requireKey(request);
      return presentGoal(await services.goals.updateProgress(userId, request.params.goal_id, request.query.current_value));
    },
  });

  app.get('/v1/dev/user/goals/:goal_id/history', {
    config: read,
    schema: {
      operationId: 'listGoalHistory',
      summary: 'Get Goal History',
      description: 'Get progress history for a goal: the points recorded in the last `days` days (max 365, default 30), oldest first.',
      tags: ['Goals'],
      params: GoalIdParams,
      querystring: GoalHistoryQuery,
      response: { 200: Type.Array(GoalHistoryEntryResponse, { title: 'Response Listgoalhistory' }) },
    },
    handler: async (request) => {
      const { userId } = requireKey(request);
      return (await services.goals.history(userId, request.params.goal_id, request.query.days)).map(presentHistoryEntry);
    },
  });

  app.delete('/v1/dev/user/goals/:goal_id', {
    config: write,
    schema: {
      operationId: 'deleteGoal',
      summary: 'Delete Goal',
      description: 'Delete a goal by ID, with its progress history.',
      tags: ['Goals'],
      params: GoalIdParams,
      response: { 200: DeveloperSuccessResponse },
    },
    handler: async (request) => {
      await services.goals.delete(requireKey(request).userId, request.params.goal_id);
      return { success: true };
    },
  });
};
