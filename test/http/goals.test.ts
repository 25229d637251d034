import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const GOALS = '/v1/dev/user/goals';
const DAY_MS = 24 * 60 * 60 * 1000;

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx.close();
});

/** A fresh developer, so each test sees only its own goals. */
async function developer() {
  return (await ctx.developer()).key;
}

async function createGoal(key: string, body: Record<string, unknown>) {
  const res = await ctx.call('POST', GOALS, key, body);
  expect(res.statusCode).toBe(200);
  return res.json() as Record<string, unknown> & { id: string };
}

async function setStatus(userId: string, id: string, status: string, focusRank: number | null = null) {
  // Status is set by the product, not by this API; tests put goals in each state directly.
  const goal = (await ctx.storage.goals.get(userId, id))!;
  await ctx.storage.goals.delete(userId, id);
  await ctx.storage.goals.insert({ ...goal, status: status as 'paused', focusRank });
}

/** The test clock's "now" as goals serialise it (Python `isoformat()`). */
const pythonNow = () => ctx.clock.now().toISOString().replace('Z', '+00:00');

const detail = (res: { json(): unknown }) => (res.json() as { detail: unknown }).detail;

describe('POST /v1/dev/user/goals', () => {
  it('POST /v1/dev/user/goals › creates a qualitative goal with defaults and legacy fields', async () => {
    const key = await developer();
    const res = await ctx.call('POST', GOALS, key, { title: '  Ship the beta  ' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectSpecResponse('createGoal', 200, body);
    expect(body.id).toMatch(/^goal_[0-9a-f]{12}$/);
    expect(body).toEqual({
      id: body.id,
      goal_id: body.id,
      title: 'Ship the beta',
      desired_outcome: 'Ship the beta',
      why_it_matters: null,
      success_criteria: [],
      horizon_at: null,
      status: 'background',
      focus_rank: null,
      metric: null,
      source: 'user',
      goal_type: 'scale',
      target_value: 0,
      current_value: 0,
      min_value: 0,
      max_value: 0,
      unit: null,
      is_active: true,
      created_at: pythonNow(),
      updated_at: pythonNow(),
    });
  });

  it('POST /v1/dev/user/goals › keeps the given text fields, trims criteria and drops blank ones', async () => {
    const key = await developer();
    const goal = await createGoal(key, {
      title: 'Run a marathon',
      desired_outcome: '  Finish under 4h ',
      why_it_matters: 'Health',
      success_criteria: [' 30km long run ', '   ', '', 'Race day'],
      horizon_at: '2026-10-01T09:00:00Z',
    });
    expectSpecResponse('createGoal', 200, goal);
    expect(goal).toMatchObject({
      desired_outcome: 'Finish under 4h',
      why_it_matters: 'Health',
      success_criteria: ['30km long run', 'Race day'],
      horizon_at: '2026-10-01T09:00:00.000+00:00',
    });
  });

  it('POST /v1/dev/user/goals › uses the title when desired_outcome is blank', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'Read more', desired_outcome: '   ' });
    expect(goal.desired_outcome).toBe('Read more');
  });

  it('POST /v1/dev/user/goals › builds a metric from target_value with scale defaults', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'Users', target_value: 1000 });
    expectSpecResponse('createGoal', 200, goal);
    expect(goal.metric).toEqual({ type: 'scale', current: 0, target: 1000, min: null, max: null, unit: null });
    expect(goal).toMatchObject({ goal_type: 'scale', target_value: 1000, current_value: 0, min_value: 0, max_value: 0, unit: null });
  });

  it('POST /v1/dev/user/goals › builds a full metric and mirrors it in the legacy fields', async () => {
    const key = await developer();
    const goal = await createGoal(key, {
      title: 'Revenue',
      goal_type: 'numeric',
      target_value: 50,
      current_value: 5,
      min_value: 1,
      max_value: 100,
      unit: 'k$',
    });
    expectSpecResponse('createGoal', 200, goal);
    expect(goal.metric).toEqual({ type: 'numeric', current: 5, target: 50, min: 1, max: 100, unit: 'k$' });
    expect(goal).toMatchObject({ goal_type: 'numeric', target_value: 50, current_value: 5, min_value: 1, max_value: 100, unit: 'k$' });
  });

  it('POST /v1/dev/user/goals › builds a metric from goal_type alone', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'Meditate daily', goal_type: 'boolean' });
    expect(goal.metric).toEqual({ type: 'boolean', current: 0, target: 0, min: null, max: null, unit: null });
  });

  it('POST /v1/dev/user/goals › ignores current/min/max/unit without target_value or goal_type', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'Vague', current_value: 3, min_value: 0, max_value: 10, unit: 'pts' });
    expect(goal.metric).toBeNull();
    expect(goal).toMatchObject({ current_value: 0, max_value: 0, unit: null });
  });

  it('POST /v1/dev/user/goals › returns 422 when title is blank', async () => {
    const key = await developer();
    const res = await ctx.call('POST', GOALS, key, { title: '   ' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'title cannot be empty' });
  });

  it('POST /v1/dev/user/goals › returns a validation 422 when title is missing, empty or too long', async () => {
    const key = await developer();
    for (const body of [{}, { title: '' }, { title: 'x'.repeat(501) }]) {
      const res = await ctx.call('POST', GOALS, key, body);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('createGoal', 422, res.json());
      expect((detail(res) as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'title']);
    }
  });

  it('POST /v1/dev/user/goals › returns a validation 422 for more than 20 success criteria or a bad goal_type', async () => {
    const key = await developer();
    const many = await ctx.call('POST', GOALS, key, { title: 'x', success_criteria: Array.from({ length: 21 }, (_, i) => `c${i}`) });
    expect(many.statusCode).toBe(422);
    expectSpecResponse('createGoal', 422, many.json());
    const type = await ctx.call('POST', GOALS, key, { title: 'x', goal_type: 'percent' });
    expect(type.statusCode).toBe(422);
    expect((detail(type) as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'goal_type']);
  });

  it('POST /v1/dev/user/goals › accepts a naive or bare-date horizon_at as UTC and rejects an invalid one', async () => {
    const key = await developer();
    expect((await createGoal(key, { title: 'x', horizon_at: '2026-06-01' })).horizon_at).toBe('2026-06-01T00:00:00.000+00:00');
    expect((await createGoal(key, { title: 'x', horizon_at: '2026-06-01T08:30:00' })).horizon_at).toBe('2026-06-01T08:30:00.000+00:00');
    const res = await ctx.call('POST', GOALS, key, { title: 'x', horizon_at: 'next week' });
    expect(res.statusCode).toBe(422);
    expectSpecResponse('createGoal', 422, res.json());
    expect((detail(res) as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'horizon_at']);
  });

  it('POST /v1/dev/user/goals › returns 422 when min_value exceeds max_value', async () => {
    const key = await developer();
    const res = await ctx.call('POST', GOALS, key, { title: 'x', target_value: 5, min_value: 10, max_value: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'min_value cannot be greater than max_value' });
  });

  it('POST /v1/dev/user/goals › returns 422 when unit is longer than 64 characters', async () => {
    const key = await developer();
    const res = await ctx.call('POST', GOALS, key, { title: 'x', target_value: 5, unit: 'u'.repeat(65) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'unit must be at most 64 characters' });
  });

  it('POST /v1/dev/user/goals › returns 403 without the goals:write scope', async () => {
    const { key } = await ctx.developer(['goals:read']);
    const res = await ctx.call('POST', GOALS, key, { title: 'x' });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /v1/dev/user/goals', () => {
  it('GET /v1/dev/user/goals › lists active goals, focused first by rank, then newest', async () => {
    const { userId, key } = await ctx.developer();
    const a = await createGoal(key, { title: 'a' });
    ctx.clock.advance(1000);
    const b = await createGoal(key, { title: 'b' });
    ctx.clock.advance(1000);
    const c = await createGoal(key, { title: 'c' });
    ctx.clock.advance(1000);
    const d = await createGoal(key, { title: 'd' });
    await setStatus(userId, a.id, 'focused', 1);
    await setStatus(userId, b.id, 'focused', 0);
    await setStatus(userId, d.id, 'paused');

    const res = await ctx.call('GET', GOALS, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('listGoals', 200, res.json());
    expect((res.json() as { id: string }[]).map((g) => g.id)).toEqual([b.id, a.id, c.id]);
  });

  it('GET /v1/dev/user/goals › include_inactive returns every goal and ignores limit', async () => {
    const { userId, key } = await ctx.developer();
    const ids: string[] = [];
    for (const status of ['background', 'focused', 'paused', 'achieved', 'abandoned']) {
      ctx.clock.advance(1000);
      const goal = await createGoal(key, { title: status });
      if (status !== 'background') await setStatus(userId, goal.id, status, status === 'focused' ? 0 : null);
      ids.push(goal.id);
    }
    const res = await ctx.call('GET', `${GOALS}?include_inactive=true&limit=1`, key);
    expect(res.statusCode).toBe(200);
    const goals = res.json() as { title: string; is_active: boolean }[];
    expectSpecResponse('listGoals', 200, goals);
    expect(goals).toHaveLength(5);
    expect(Object.fromEntries(goals.map((g) => [g.title, g.is_active]))).toEqual({
      background: true,
      focused: true,
      paused: false,
      achieved: false,
      abandoned: false,
    });

    const active = await ctx.call('GET', `${GOALS}?include_inactive=false`, key);
    expect((active.json() as { title: string }[]).map((g) => g.title).sort()).toEqual(['background', 'focused']);
  });

  it('GET /v1/dev/user/goals › defaults limit to 10 and clamps it to 1..1000', async () => {
    const key = await developer();
    for (let i = 0; i < 12; i++) await createGoal(key, { title: `g${i}` });
    const count = async (query: string) => ((await ctx.call('GET', `${GOALS}${query}`, key)).json() as unknown[]).length;
    expect(await count('')).toBe(10);
    expect(await count('?limit=0')).toBe(1);
    expect(await count('?limit=-5')).toBe(1);
    expect(await count('?limit=3')).toBe(3);
    expect(await count('?limit=5000')).toBe(12);
  });

  it('GET /v1/dev/user/goals › returns a validation 422 for a non-integer limit', async () => {
    const key = await developer();
    const res = await ctx.call('GET', `${GOALS}?limit=ten`, key);
    expect(res.statusCode).toBe(422);
    expectSpecResponse('listGoals', 422, res.json());
    expect((detail(res) as { loc: unknown[] }[])[0]!.loc).toEqual(['query', 'limit']);
  });

  it("GET /v1/dev/user/goals › never lists another user's goals", async () => {
    const owner = await developer();
    await createGoal(owner, { title: 'mine' });
    const other = await developer();
    const res = await ctx.call('GET', `${GOALS}?include_inactive=true`, other);
    expect(res.json()).toEqual([]);
  });

  it('GET /v1/dev/user/goals › returns 401 without a key and 403 without goals:read', async () => {
    expect((await ctx.call('GET', GOALS)).statusCode).toBe(401);
    const { key } = await ctx.developer(['memories:read']);
    expect((await ctx.call('GET', GOALS, key)).statusCode).toBe(403);
  });
});

describe('GET /v1/dev/user/goals/{goal_id}', () => {
  it('GET /v1/dev/user/goals/{goal_id} › returns the goal, inactive ones included', async () => {
    const { userId, key } = await ctx.developer();
    const goal = await createGoal(key, { title: 'Done already' });
    await setStatus(userId, goal.id, 'achieved');
    const res = await ctx.call('GET', `${GOALS}/${goal.id}`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('getGoal', 200, res.json());
    expect(res.json()).toMatchObject({ id: goal.id, status: 'achieved', is_active: false });
  });

  it('GET /v1/dev/user/goals/{goal_id} › returns 404 for an unknown goal', async () => {
    const key = await developer();
    const res = await ctx.call('GET', `${GOALS}/goal_000000000000`, key);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Goal not found' });
  });

  it("GET /v1/dev/user/goals/{goal_id} › returns 404 for another user's goal", async () => {
    const goal = await createGoal(await developer(), { title: 'private' });
    const res = await ctx.call('GET', `${GOALS}/${goal.id}`, await developer());
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Goal not found' });
  });
});

describe('PATCH /v1/dev/user/goals/{goal_id}', () => {
  it('PATCH /v1/dev/user/goals/{goal_id} › applies only the fields present', async () => {
    const key = await developer();
    const goal = await createGoal(key, {
      title: 'Old',
      desired_outcome: 'Outcome',
      why_it_matters: 'Because',
      success_criteria: ['one'],
      horizon_at: '2026-06-01T00:00:00Z',
      target_value: 10,
      unit: 'km',
    });
    ctx.clock.advance(60_000);
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { title: '  New  ' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectSpecResponse('updateGoal', 200, body);
    expect(body).toEqual({
      ...goal,
      title: 'New',
      updated_at: pythonNow(),
    });
    expect(body.created_at).toBe(goal.created_at);
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › updates every text field and clears nullable ones', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 't', why_it_matters: 'w', horizon_at: '2026-06-01', success_criteria: ['a'] });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, {
      desired_outcome: ' Better ',
      why_it_matters: null,
      horizon_at: null,
      success_criteria: [],
    });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('updateGoal', 200, res.json());
    expect(res.json()).toMatchObject({ desired_outcome: 'Better', why_it_matters: null, horizon_at: null, success_criteria: [] });

    const again = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, {
      why_it_matters: 'Reason',
      horizon_at: '2027-01-01T12:00:00+02:00',
      success_criteria: [' x ', ' '],
    });
    expect(again.json()).toMatchObject({
      why_it_matters: 'Reason',
      horizon_at: '2027-01-01T10:00:00.000+00:00',
      success_criteria: ['x'],
    });
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › updates metric fields and clears min, max and unit with null', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'm', goal_type: 'numeric', target_value: 10, min_value: 0, max_value: 20, unit: 'km' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { target_value: 15, max_value: 30 });
    expect(res.json().metric).toEqual({ type: 'numeric', current: 0, target: 15, min: 0, max: 30, unit: 'km' });
    const cleared = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { min_value: null, max_value: null, unit: null });
    expect(cleared.statusCode).toBe(200);
    expectSpecResponse('updateGoal', 200, cleared.json());
    expect(cleared.json().metric).toEqual({ type: 'numeric', current: 0, target: 15, min: null, max: null, unit: null });
    expect(cleared.json()).toMatchObject({ min_value: 0, max_value: 0, unit: null });
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › creates a scale metric on a qualitative goal', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'q' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { max_value: 10, unit: 'pts' });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('updateGoal', 200, res.json());
    expect(res.json().metric).toEqual({ type: 'scale', current: 0, target: 0, min: null, max: 10, unit: 'pts' });
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › leaves a qualitative goal qualitative when metric fields are null', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'q' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { unit: null, min_value: null });
    expect(res.statusCode).toBe(200);
    expect(res.json().metric).toBeNull();
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › records a history point when current_value is sent', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'h', target_value: 10 });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { current_value: 4 });
    expect(res.json()).toMatchObject({ current_value: 4, metric: { current: 4 } });
    await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { title: 'no history' });
    const history = await ctx.call('GET', `${GOALS}/${goal.id}/history`, key);
    expect(history.json()).toEqual([{ date: pythonNow().slice(0, 10), value: 4, recorded_at: pythonNow() }]);
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 when no field is present', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    for (const body of [{}, { unknown_field: 1 }]) {
      const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ detail: 'At least one field must be provided' });
    }
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 for a blank or null title', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    for (const title of ['   ', null]) {
      const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { title });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ detail: 'title cannot be empty' });
    }
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 for a blank or null desired_outcome', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    for (const desired_outcome of ['', '  ', null]) {
      const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { desired_outcome });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ detail: 'desired_outcome cannot be empty' });
    }
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 for null success_criteria', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { success_criteria: null });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'success_criteria cannot be null; use an empty list to clear it' });
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 for a null target_value or current_value', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x', target_value: 3 });
    for (const field of ['target_value', 'current_value']) {
      const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { [field]: null });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ detail: `${field} cannot be null` });
    }
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 when the merged min exceeds max', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x', target_value: 3, min_value: 0, max_value: 5 });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { min_value: 6 });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'min_value cannot be greater than max_value' });
    expect((await ctx.call('GET', `${GOALS}/${goal.id}`, key)).json().min_value).toBe(0);
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns 422 for a unit longer than 64 characters', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { unit: 'u'.repeat(65) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'unit must be at most 64 characters' });
  });

  it('PATCH /v1/dev/user/goals/{goal_id} › returns a validation 422 for wrongly typed fields', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}`, key, { target_value: 'ten' });
    expect(res.statusCode).toBe(422);
    expectSpecResponse('updateGoal', 422, res.json());
    expect((detail(res) as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'target_value']);
  });

  it("PATCH /v1/dev/user/goals/{goal_id} › returns 404 for an unknown or another user's goal", async () => {
    const key = await developer();
    const foreign = await createGoal(await developer(), { title: 'theirs' });
    for (const id of ['goal_000000000000', foreign.id]) {
      const res = await ctx.call('PATCH', `${GOALS}/${id}`, key, { title: 'mine now' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Goal not found' });
    }
  });
});

describe('PATCH /v1/dev/user/goals/{goal_id}/progress', () => {
  it('PATCH /v1/dev/user/goals/{goal_id}/progress › sets the current value and records a history point', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'p', goal_type: 'numeric', target_value: 100, unit: 'users' });
    ctx.clock.advance(5000);
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}/progress?current_value=42.5`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('updateGoalProgress', 200, res.json());
    expect(res.json()).toMatchObject({
      current_value: 42.5,
      metric: { type: 'numeric', current: 42.5, target: 100, unit: 'users' },
      updated_at: pythonNow(),
    });
    const history = (await ctx.call('GET', `${GOALS}/${goal.id}/history`, key)).json() as { value: number }[];
    expect(history.map((h) => h.value)).toEqual([42.5]);
  });

  it('PATCH /v1/dev/user/goals/{goal_id}/progress › gives a qualitative goal a scale metric', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'q' });
    const res = await ctx.call('PATCH', `${GOALS}/${goal.id}/progress?current_value=-3`, key);
    expect(res.statusCode).toBe(200);
    expect(res.json().metric).toEqual({ type: 'scale', current: -3, target: 0, min: null, max: null, unit: null });
  });

  it('PATCH /v1/dev/user/goals/{goal_id}/progress › returns a validation 422 when current_value is missing or not a number', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'q' });
    for (const query of ['', '?current_value=abc', '?current_value=']) {
      const res = await ctx.call('PATCH', `${GOALS}/${goal.id}/progress${query}`, key);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('updateGoalProgress', 422, res.json());
      expect((detail(res) as { loc: unknown[] }[])[0]!.loc).toEqual(['query', 'current_value']);
    }
  });

  it("PATCH /v1/dev/user/goals/{goal_id}/progress › returns 404 for an unknown or another user's goal", async () => {
    const key = await developer();
    const foreign = await createGoal(await developer(), { title: 'theirs' });
    for (const id of ['goal_000000000000', foreign.id]) {
      const res = await ctx.call('PATCH', `${GOALS}/${id}/progress?current_value=1`, key);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Goal not found' });
    }
  });
});

describe('GET /v1/dev/user/goals/{goal_id}/history', () => {
  it('GET /v1/dev/user/goals/{goal_id}/history › returns points within the window, oldest first', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'h', target_value: 10 });
    const start = ctx.clock.now().getTime();
    const progress = (value: number) => ctx.call('PATCH', `${GOALS}/${goal.id}/progress?current_value=${value}`, key);
    await progress(1); // day 0
    ctx.clock.advance(10 * DAY_MS);
    await progress(2); // day 10
    ctx.clock.advance(15 * DAY_MS);
    await progress(3); // day 25
    ctx.clock.advance(10 * DAY_MS); // now: day 35

    const res = await ctx.call('GET', `${GOALS}/${goal.id}/history`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('listGoalHistory', 200, res.json());
    const at = (day: number) => new Date(start + day * DAY_MS).toISOString();
    expect(res.json()).toEqual([
      { date: at(10).slice(0, 10), value: 2, recorded_at: at(10).replace('Z', '+00:00') },
      { date: at(25).slice(0, 10), value: 3, recorded_at: at(25).replace('Z', '+00:00') },
    ]);

    const week = await ctx.call('GET', `${GOALS}/${goal.id}/history?days=10`, key);
    expect((week.json() as { value: number }[]).map((h) => h.value)).toEqual([3]);
    const year = await ctx.call('GET', `${GOALS}/${goal.id}/history?days=365`, key);
    expect((year.json() as { value: number }[]).map((h) => h.value)).toEqual([1, 2, 3]);
    const one = await ctx.call('GET', `${GOALS}/${goal.id}/history?days=1`, key);
    expect(one.json()).toEqual([]);
  });

  it('GET /v1/dev/user/goals/{goal_id}/history › returns an empty list for a goal without progress', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'quiet' });
    const res = await ctx.call('GET', `${GOALS}/${goal.id}/history`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('listGoalHistory', 200, res.json());
    expect(res.json()).toEqual([]);
  });

  it('GET /v1/dev/user/goals/{goal_id}/history › returns a validation 422 for days outside 1..365', async () => {
    const key = await developer();
    const goal = await createGoal(key, { title: 'x' });
    for (const days of ['0', '366', 'week']) {
      const res = await ctx.call('GET', `${GOALS}/${goal.id}/history?days=${days}`, key);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('listGoalHistory', 422, res.json());
      expect((detail(res) as { loc: unknown[] }[])[0]!.loc).toEqual(['query', 'days']);
    }
  });

  it("GET /v1/dev/user/goals/{goal_id}/history › returns 404 for an unknown or another user's goal", async () => {
    const key = await developer();
    const foreign = await createGoal(await developer(), { title: 'theirs' });
    for (const id of ['goal_000000000000', foreign.id]) {
      const res = await ctx.call('GET', `${GOALS}/${id}/history`, key);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Goal not found' });
    }
  });
});

describe('DELETE /v1/dev/user/goals/{goal_id}', () => {
  it('DELETE /v1/dev/user/goals/{goal_id} › deletes the goal and its history', async () => {
    const { userId, key } = await ctx.developer();
    const goal = await createGoal(key, { title: 'gone', target_value: 1 });
    await ctx.call('PATCH', `${GOALS}/${goal.id}/progress?current_value=1`, key);
    const res = await ctx.call('DELETE', `${GOALS}/${goal.id}`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('deleteGoal', 200, res.json());
    expect(res.json()).toEqual({ success: true });
    expect((await ctx.call('GET', `${GOALS}/${goal.id}`, key)).statusCode).toBe(404);
    expect(await ctx.storage.goals.history(userId, goal.id, '1970-01-01T00:00:00.000Z')).toEqual([]);
  });

  it("DELETE /v1/dev/user/goals/{goal_id} › returns 404 for an unknown or another user's goal and keeps theirs", async () => {
    const key = await developer();
    const ownerKey = await developer();
    const foreign = await createGoal(ownerKey, { title: 'theirs' });
    for (const id of ['goal_000000000000', foreign.id]) {
      const res = await ctx.call('DELETE', `${GOALS}/${id}`, key);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Goal not found' });
    }
    expect((await ctx.call('GET', `${GOALS}/${foreign.id}`, ownerKey)).statusCode).toBe(200);
  });

  it('DELETE /v1/dev/user/goals/{goal_id} › returns 403 without the goals:write scope', async () => {
    const { key } = await ctx.developer(['goals:read']);
    expect((await ctx.call('DELETE', `${GOALS}/goal_000000000000`, key)).statusCode).toBe(403);
  });
});
