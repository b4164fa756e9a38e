// What the emulator remembers about conversations: served by `GET /v1/convai/conversations/{id}` and the inspection API.
export type Logger = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface TranscriptEntry {
  role: 'user' | 'agent';
  message: string;
  event_id: number;
  time_in_call_secs: number;
  interrupted: boolean;
  feedback: { score: 'like' | 'dislike'; time_in_call_secs: number } | null;
}

export interface Logged {
  at: number;
  message: unknown;
}

/** Bounds for a long-running emulator (a demo left open for days): older entries are dropped first. */
export const MAX_LOGGED_MESSAGES = 20_000;
export const MAX_CONVERSATIONS = 500;

export function appendLogged(list: Logged[], message: unknown) {
  if (list.length >= MAX_LOGGED_MESSAGES) list.shift();
  list.push({ at: Date.now(), message });
}

export interface ConversationRecord {
  conversation_id: string;
  agent_id: string;
  status: 'initiated' | 'in-progress' | 'done';
  user_id: string | null;
  origin: string | null;
  /** Query of the WebSocket URL the client opened, without the signature. */
  source: string | null;
  text_only: boolean;
  start_time_unix_ms: number;
  end_time_unix_ms: number | null;
  dynamic_variables: Record<string, string | number | boolean>;
  transcript: TranscriptEntry[];
  context_updates: string[];
  tool_calls: { tool_name: string; tool_call_id: string; outcome: { result: string; is_error: boolean } | null }[];
  overall_feedback: 'like' | 'dislike' | null;
  /** The end-of-call stars, when the widget's `end_feedback` asked for them. */
  rating: { rating: number; comment: string } | null;
  pongs: number;
  audio_chunks_received: number;
  vad_scores_sent: number;
  /** Every JSON message received except audio chunks (counted above). */
  received: Logged[];
  /** Every message sent but `vad_score` (counted above); audio payloads are blanked to keep memory bounded. */
  sent: Logged[];
  close: { code: number; reason: string } | null;
}

export function newRecord(conversation_id: string, agent_id: string, origin: string | null, source: string | null) {
  const record: ConversationRecord = {
    conversation_id,
    agent_id,
    status: 'initiated',
    user_id: null,
    origin,
    source,
    text_only: false,
    start_time_unix_ms: Date.now(),
    end_time_unix_ms: null,
    dynamic_variables: {},
    transcript: [],
    context_updates: [],
    tool_calls: [],
    overall_feedback: null,
    rating: null,
    pongs: 0,
    audio_chunks_received: 0,
    vad_scores_sent: 0,
    received: [],
    sent: [],
    close: null,
  };
  return record;
}

/** The ElevenLabs shape of `GET /v1/convai/conversations/{id}` (the fields the emulator can fill). */
export function conversationDetails(r: ConversationRecord) {
  const likes = r.transcript.filter((t) => t.feedback?.score === 'like').length;
  const dislikes = r.transcript.filter((t) => t.feedback?.score === 'dislike').length;
  const duration = Math.round(((r.end_time_unix_ms ?? Date.now()) - r.start_time_unix_ms) / 1000);
  return {
    agent_id: r.agent_id,
    conversation_id: r.conversation_id,
    status: r.status,
    user_id: r.user_id,
    transcript: r.transcript.map((t) => ({
      role: t.role,
      message: t.message,
      time_in_call_secs: t.time_in_call_secs,
      interrupted: t.interrupted,
      feedback: t.feedback,
      tool_calls: [],
      tool_results: [],
    })),
    metadata: {
      start_time_unix_secs: Math.floor(r.start_time_unix_ms / 1000),
      call_duration_secs: duration,
      feedback: { overall_score: r.overall_feedback, likes, dislikes },
      text_only: r.text_only,
    },
    conversation_initiation_client_data: { dynamic_variables: r.dynamic_variables, user_id: r.user_id },
    has_audio: false,
    has_user_audio: false,
    has_response_audio: false,
  };
}
