import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import type { Storage, UserDataTable } from '../../storage/storage.ts';
import type { User } from '../accounts/accounts.types.ts';
import { sectionRecords, type ExportRecord } from './export.ts';

/**
 * The Markdown vault: a folder Obsidian opens as it is. One note per conversation (YAML front
 * matter, overview, action items as checkboxes, events, transcript by speaker), one daily note per
 * day linking that day's conversations with [[wikilinks]], and one note each for memories (by
 * category), action items and goals. File names keep only characters safe on every system.
 */

/** A note name safe as a file name and inside [[wikilinks]] (no / \ : * ? " < > | # ^ [ ] or control characters). */
export function safeName(text: string, fallback = 'Untitled'): string {
  const cleaned = text
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|#^[\]]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 80)
    .trim();
  return cleaned || fallback;
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML. */
const yaml = (value: unknown): string => (value === null || value === undefined ? 'null' : JSON.stringify(value));

const frontMatter = (fields: Record<string, unknown>): string =>
  `---\n${Object.entries(fields).map(([k, v]) => `${k}: ${yaml(v)}`).join('\n')}\n---\n`;

const clock = (seconds: unknown): string => {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
};

/** One line per paragraph of plain text, never a heading or front matter by accident. */
const plain = (text: unknown): string => String(text ?? '').replace(/^(#|---)/gm, '\\$1');

interface Segment { speaker?: string; speakerId?: number; isUser?: boolean; start?: number; text?: string }
interface SummaryItem { description?: string; completed?: boolean; dueAt?: string | null }
interface SummaryEvent { title?: string; start?: string; duration?: number; description?: string }

const dayOf = (c: ExportRecord): string => String(c.started_at ?? c.created_at).slice(0, 10);

function conversationNote(c: ExportRecord, folderName: string | null): string {
  const items = (c.action_items as SummaryItem[]) ?? [];
  const events = (c.events as SummaryEvent[]) ?? [];
  const segments = (c.transcript_segments as Segment[]) ?? [];
  const lines = [
    frontMatter({
      id: c.id, title: c.title || 'Untitled', date: c.started_at ?? c.created_at, category: c.category,
      folder: folderName, tags: ['omi', safeName(String(c.category), 'other').replace(/ /g, '-')], starred: c.starred,
      discarded: c.discarded,
    }),
    `# ${c.emoji ? `${c.emoji} ` : ''}${plain(c.title || 'Untitled')}`,
    '',
    `Daily note: [[${dayOf(c)}]]`,
    '',
    '## Overview',
    '',
    plain(c.overview) || '_No overview._',
  ];
  if (items.length) lines.push('', '## Action items', '', ...items.map((i) => `- [${i.completed ? 'x' : ' '}] ${plain(i.description)}${i.dueAt ? ` (due ${i.dueAt.slice(0, 10)})` : ''}`));
  if (events.length) lines.push('', '## Events', '', ...events.map((e) => `- ${plain(e.title)} — ${e.start ?? ''}${e.duration ? ` (${e.duration} min)` : ''}`));
  if (segments.length) {
    lines.push('', '## Transcript', '');
    for (const s of segments) lines.push(`**${plain(s.isUser ? 'You' : s.speaker ?? `Speaker ${s.speakerId ?? 0}`)}** (${clock(s.start)}): ${plain(s.text)}`, '');
  } else if (c.text) {
    lines.push('', '## Text', '', plain(c.text));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

async function all(storage: Storage, userId: string, table: UserDataTable): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const page of sectionRecords(storage, userId, table)) out.push(...page);
  return out;
}

interface VaultState {
  /** Conversation id → its note's name (for links from action items and memories). */
  notes: Map<string, string>;
  /** Day → names of that day's conversation notes. */
  days: Map<string, string[]>;
  counts: Record<string, number>;
}

/** One file of the vault: its path inside the vault ('/'-separated) and its text. */
export interface VaultFile {
  path: string;
  text: string;
}

async function* conversationFiles(storage: Storage, userId: string, state: VaultState, folders: Map<string, string>): AsyncGenerator<VaultFile> {
  for await (const page of sectionRecords(storage, userId, 'conversations')) {
    for (const c of page) {
      const name = `${dayOf(c)} ${safeName(String(c.title))} (${safeName(String(c.id)).slice(0, 8)})`;
      state.notes.set(String(c.id), name);
      state.days.set(dayOf(c), [...(state.days.get(dayOf(c)) ?? []), name]);
      state.counts.conversations = (state.counts.conversations ?? 0) + 1;
      yield { path: `Conversations/${name}.md`, text: conversationNote(c, c.folder_id ? folders.get(String(c.folder_id)) ?? null : null) };
    }
  }
}

function* dailyFiles(state: VaultState, summaries: ExportRecord[]): Generator<VaultFile> {
  const byDate = new Map(summaries.map((s) => [String(s.date), s]));
  const dates = [...new Set([...state.days.keys(), ...byDate.keys()])].sort();
  state.counts.daily_notes = dates.length;
  for (const date of dates) {
    const s = byDate.get(date);
    const lines = [frontMatter({ date, tags: ['omi', 'daily'] }), `# ${s?.day_emoji ? `${s.day_emoji} ` : ''}${date}`, ''];
    if (s) lines.push(`**${plain(s.headline)}**`, '', plain(s.overview), '');
    const notes = [...(state.days.get(date) ?? [])].sort();
    if (notes.length) lines.push('## Conversations', '', ...notes.map((n) => `- [[${n}]]`));
    yield { path: `Daily/${date}.md`, text: `${lines.join('\n').trimEnd()}\n` };
  }
}

const linkTo = (state: VaultState, conversationId: unknown) => {
  const note = conversationId ? state.notes.get(String(conversationId)) : undefined;
  return note ? ` ([[${note}]])` : '';
};

function memoriesNote(state: VaultState, memories: ExportRecord[]): string {
  const byCategory = new Map<string, ExportRecord[]>();
  for (const m of memories) byCategory.set(String(m.category), [...(byCategory.get(String(m.category)) ?? []), m]);
  const lines = [frontMatter({ tags: ['omi', 'memories'] }), '# Memories'];
  for (const category of [...byCategory.keys()].sort()) {
    lines.push('', `## ${plain(category)}`, '');
    for (const m of byCategory.get(category)!) lines.push(`- ${plain(m.content)}${linkTo(state, m.conversation_id)}`);
  }
  return `${lines.join('\n')}\n`;
}

function actionItemsNote(state: VaultState, items: ExportRecord[]): string {
  const lines = [frontMatter({ tags: ['omi', 'action-items'] }), '# Action items', ''];
  for (const i of items) {
    lines.push(`- [${i.completed ? 'x' : ' '}] ${plain(i.description)}${i.due_at ? ` (due ${String(i.due_at).slice(0, 10)})` : ''}${linkTo(state, i.conversation_id)}`);
  }
  return `${lines.join('\n')}\n`;
}

function goalsNote(goals: ExportRecord[]): string {
  const lines = [frontMatter({ tags: ['omi', 'goals'] }), '# Goals'];
  for (const g of goals) {
    lines.push('', `## ${plain(g.title)}`, '', `- Status: ${g.status}`, `- Outcome: ${plain(g.desired_outcome)}`);
    if (g.metric_type) lines.push(`- Progress: ${g.metric_current ?? 0} / ${g.metric_target ?? '?'} ${g.metric_unit ?? ''}`.trimEnd());
    const history = (g.history as { value: number; recorded_at: string }[]) ?? [];
    if (history.length) lines.push('', '| Recorded | Value |', '| --- | --- |', ...history.map((h) => `| ${h.recorded_at} | ${h.value} |`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The vault's files, one at a time (conversation notes as their pages are read); `counts` is
 * filled in as they go.
 */
export async function* vaultFiles(storage: Storage, user: User, counts: Record<string, number> = {}): AsyncGenerator<VaultFile> {
  const folders = new Map((await all(storage, user.id, 'folders')).map((f) => [String(f.id), String(f.name)]));
  const state: VaultState = { notes: new Map(), days: new Map(), counts };
  counts.conversations = 0;
  yield* conversationFiles(storage, user.id, state, folders);
  yield* dailyFiles(state, await all(storage, user.id, 'daily_summaries'));
  const memories = await all(storage, user.id, 'memories');
  counts.memories = memories.length;
  yield { path: 'Memories.md', text: memoriesNote(state, memories) };
  const items = await all(storage, user.id, 'action_items');
  counts.action_items = items.length;
  yield { path: 'Action items.md', text: actionItemsNote(state, items) };
  const goals = await all(storage, user.id, 'goals');
  counts.goals = goals.length;
  yield { path: 'Goals.md', text: goalsNote(goals) };
}

/** Writes the vault into the new folder `out` (built beside it, then renamed into place); returns counts. */
export async function writeMarkdownVault(storage: Storage, user: User, out: string): Promise<Record<string, number>> {
  if (existsSync(out)) throw new Error(`--out ${out} already exists; the vault is written into a new folder`);
  const dir = `${out}.partial-${process.pid}`;
  await rm(dir, { recursive: true, force: true });
  const counts: Record<string, number> = {};
  try {
    for await (const file of vaultFiles(storage, user, counts)) {
      const path = join(dir, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text);
    }
    await rename(dir, out);
    return counts;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The vault as a .zip, in chunks as its files are made (one folder, `omi-vault/`, inside). */
export async function* markdownZipChunks(storage: Storage, user: User): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else pending.push(chunk);
  });
  for await (const file of vaultFiles(storage, user)) {
    const entry = new ZipDeflate(`omi-vault/${file.path}`, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(file.text), true);
    if (failure) throw failure;
    yield* pending.splice(0);
  }
  zip.end();
  yield* pending.splice(0);
}
