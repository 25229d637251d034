import type { AskResult } from './ask.service.ts';

/** The wire shape of an answer (DeveloperAskResponse). */
export function presentAskResult(result: AskResult) {
  return {
    answer: result.answer,
    sources: result.sources.map((c) => ({ id: c.id, title: c.title, created_at: c.createdAt })),
  };
}
