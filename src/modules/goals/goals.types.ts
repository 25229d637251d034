export const GOAL_TYPES = ['boolean', 'scale', 'numeric'] as const;
export type GoalType = (typeof GOAL_TYPES)[number];

export const GOAL_STATUSES = ['background', 'focused', 'paused', 'achieved', 'abandoned'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export interface GoalMetric {
  type: GoalType;
  current: number;
  target: number;
  min: number | null;
  max: number | null;
  unit: string | null;
}

export interface Goal {
  id: string;
  userId: string;
  title: string;
  desiredOutcome: string;
  whyItMatters: string | null;
  successCriteria: string[];
  horizonAt: string | null;
  status: GoalStatus;
  focusRank: number | null;
  source: string;
  metric: GoalMetric | null;
  createdAt: string;
  updatedAt: string;
}

export type GoalPatch = Partial<
  Pick<Goal, 'title' | 'desiredOutcome' | 'whyItMatters' | 'successCriteria' | 'horizonAt' | 'metric'>
> & { updatedAt: string };

export interface GoalHistoryEntry {
  value: number;
  recordedAt: string;
}
