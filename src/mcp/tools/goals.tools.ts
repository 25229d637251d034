import { z } from 'zod';
import { presentGoal } from '../../modules/goals/goals.presenter.ts';
import { addTool, READ_ONLY, type ToolContext } from './tool-context.ts';

/** More goals than anyone pursues at once. */
const MAX_GOALS = 1000;

export function registerGoalTools(ctx: ToolContext): void {
  addTool(
    ctx,
    {
      name: 'get_goals',
      scope: 'goals.read',
      description: "The user's goals: active ones (focused first), or all of them with include_inactive.",
      input: { include_inactive: z.boolean().optional().describe('Also completed and archived goals (default false)') },
      annotations: READ_ONLY,
    },
    async (args) => {
      const goals = await ctx.services.goals.list(ctx.userId, {
        limit: MAX_GOALS,
        include_inactive: args.include_inactive ?? false,
      });
      return { goals: goals.map(presentGoal), returned_count: goals.length };
    },
  );
}
