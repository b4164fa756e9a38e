// The conversation transcript as a list of immutable entries, and the pure functions that fold protocol events
// into it. The widget and the React kit render the same list.

/** A message said or typed by the user or the agent. */
export interface MessageEntry {
  readonly kind: 'message';
  readonly id: string;
  readonly role: 'user' | 'agent';
  readonly text: string;
  /** `tentative`: the user's words while they still speak; `streaming`: agent text arriving in parts. */
  readonly state: 'tentative' | 'streaming' | 'final';
  readonly eventId?: number;
  /** The user interrupted the agent; `text` is what was actually spoken. */
  readonly interrupted?: boolean;
}

/** A client or server tool the agent called. */
export interface ToolEntry {
  readonly kind: 'tool';
  readonly id: string;
  readonly name: string;
  readonly status: 'running' | 'done' | 'error';
}

/** Something the conversation itself says: it ended, or an error. */
export interface NoticeEntry {
  readonly kind: 'notice';
  readonly id: string;
  readonly tone: 'info' | 'error';
  readonly text: string;
}

export type TranscriptEntry = MessageEntry | ToolEntry | NoticeEntry;
export type Transcript = readonly TranscriptEntry[];

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

const replaceAt = (transcript: Transcript, index: number, entry: TranscriptEntry): Transcript =>
  transcript.map((existing, i) => (i === index ? entry : existing));

function findLastIndex(transcript: Transcript, test: (entry: TranscriptEntry) => boolean) {
  for (let i = transcript.length - 1; i >= 0; i--) if (test(transcript[i]!)) return i;
  return -1;
}

const isTentativeUser = (entry: TranscriptEntry) =>
  entry.kind === 'message' && entry.role === 'user' && entry.state === 'tentative';

/** The user's words so far: one tentative entry, replaced as recognition goes on. */
export function withTentativeUser(transcript: Transcript, text: string): Transcript {
  const index = findLastIndex(transcript, isTentativeUser);
  if (!text.trim()) return index < 0 ? transcript : transcript.filter((_, i) => i !== index);
  if (index >= 0) return replaceAt(transcript, index, { ...(transcript[index] as MessageEntry), text });
  return [...transcript, { kind: 'message', id: nextId('user'), role: 'user', text, state: 'tentative' }];
}

/** The agent message still streaming for `eventId` (or the latest one, when the event has no id). */
function streamingIndex(transcript: Transcript, eventId: number | undefined) {
  return findLastIndex(
    transcript,
    (entry) =>
      entry.kind === 'message' &&
      entry.role === 'agent' &&
      entry.state === 'streaming' &&
      (eventId === undefined || entry.eventId === undefined || entry.eventId === eventId),
  );
}

/** A final message; a user message replaces the tentative one, an agent message completes its streamed parts. */
export function withMessage(
  transcript: Transcript,
  role: 'user' | 'agent',
  text: string,
  eventId?: number,
): Transcript {
  if (role === 'user') {
    const index = findLastIndex(transcript, isTentativeUser);
    const entry: MessageEntry = { kind: 'message', id: nextId('user'), role, text, state: 'final', eventId };
    return index >= 0 ? replaceAt(transcript, index, { ...entry, id: transcript[index]!.id }) : [...transcript, entry];
  }
  const index = streamingIndex(transcript, eventId);
  if (index >= 0) {
    return replaceAt(transcript, index, { ...(transcript[index] as MessageEntry), text, state: 'final', eventId });
  }
  return [...transcript, { kind: 'message', id: nextId('agent'), role, text, state: 'final', eventId }];
}

/**
 * Agent text arriving in parts (`agent_chat_response_part`: start, delta…, stop), matched to its message by
 * `event_id`, so two replies streaming at once never mix.
 */
export function withAgentPart(
  transcript: Transcript,
  part: { type: 'start' | 'delta' | 'stop'; text?: string; event_id?: number },
): Transcript {
  const index = streamingIndex(transcript, part.event_id);
  if (part.type === 'stop') return transcript; // the `agent_response` that follows makes it final
  if (index < 0 || (part.type === 'start' && part.event_id === undefined)) {
    const entry: MessageEntry = {
      kind: 'message',
      id: nextId('agent'),
      role: 'agent',
      text: part.text ?? '',
      state: 'streaming',
      eventId: part.event_id,
    };
    return [...transcript, entry];
  }
  const current = transcript[index] as MessageEntry;
  return replaceAt(transcript, index, { ...current, text: current.text + (part.text ?? '') });
}

/** After an interruption: the agent message shows only what was actually spoken. */
export function withCorrection(transcript: Transcript, original: string, corrected: string): Transcript {
  const index = findLastIndex(
    transcript,
    (entry) => entry.kind === 'message' && entry.role === 'agent' && entry.text === original,
  );
  if (index < 0) return transcript;
  return replaceAt(transcript, index, { ...(transcript[index] as MessageEntry), text: corrected, interrupted: true });
}

/** A tool call starts (`running`) or ends (`done` / `error`), matched by its call id. */
export function withTool(transcript: Transcript, id: string, name: string, status: ToolEntry['status']): Transcript {
  const index = transcript.findIndex((entry) => entry.kind === 'tool' && entry.id === id);
  const entry: ToolEntry = { kind: 'tool', id, name, status };
  return index >= 0 ? replaceAt(transcript, index, entry) : [...transcript, entry];
}

export function withNotice(transcript: Transcript, tone: NoticeEntry['tone'], text: string): Transcript {
  return [...transcript, { kind: 'notice', id: nextId('notice'), tone, text }];
}

/** Removes `[audio tags]` such as `[laughs]` that steer the voice but are not words. */
export const stripAudioTags = (text: string) =>
  text
    .replace(/\[[^\]\n]{1,40}\]/g, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
