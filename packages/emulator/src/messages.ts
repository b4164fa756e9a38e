// Builders for the messages the emulator sends, typed with the official `@elevenlabs/types` contract.
import type {
  AgentChatResponsePart,
  AgentResponse,
  AgentResponseCorrection,
  AgentToolResponseMessage,
  Audio,
  AudioEventAlignment,
  ClientToolCallMessage,
  ConversationMetadata,
  ErrorEventCode,
  ErrorEventErrorType,
  ErrorMessage,
  Interruption,
  Ping,
  TentativeUserTranscript,
  UserTranscript,
  VadScore,
} from '@elevenlabs/types';
import type { AudioFormat } from './agents.ts';

export type ServerMessage =
  | ConversationMetadata
  | Ping
  | Audio
  | Interruption
  | UserTranscript
  | TentativeUserTranscript
  | AgentResponse
  | AgentResponseCorrection
  | AgentChatResponsePart
  | ClientToolCallMessage
  | AgentToolResponseMessage
  | VadScore
  | ErrorMessage;

export const metadata = (conversation_id: string, output: AudioFormat, input: AudioFormat): ConversationMetadata => ({
  type: 'conversation_initiation_metadata',
  conversation_initiation_metadata_event: {
    conversation_id,
    agent_output_audio_format: output,
    user_input_audio_format: input,
  },
});

export const ping = (event_id: number, ping_ms: number | null): Ping => ({
  type: 'ping',
  ping_event: { event_id, ping_ms },
});

export const audio = (audio_base_64: string, event_id: number, alignment: AudioEventAlignment): Audio => ({
  type: 'audio',
  audio_event: { audio_base_64, event_id, alignment },
});

export const interruption = (event_id: number): Interruption => ({
  type: 'interruption',
  interruption_event: { event_id },
});

export const userTranscript = (user_transcript: string, event_id: number): UserTranscript => ({
  type: 'user_transcript',
  user_transcription_event: { user_transcript, event_id },
});

export const tentativeUserTranscript = (user_transcript: string, event_id: number): TentativeUserTranscript => ({
  type: 'tentative_user_transcript',
  tentative_user_transcription_event: { user_transcript, event_id },
});

export const agentResponse = (agent_response: string, event_id: number): AgentResponse => ({
  type: 'agent_response',
  agent_response_event: { agent_response, event_id },
});

export const agentResponseCorrection = (
  original_agent_response: string,
  corrected_agent_response: string,
  event_id: number,
): AgentResponseCorrection => ({
  type: 'agent_response_correction',
  agent_response_correction_event: { original_agent_response, corrected_agent_response, event_id },
});

export const chatResponsePart = (
  type: 'start' | 'delta' | 'stop',
  text: string,
  event_id: number,
): AgentChatResponsePart => ({ type: 'agent_chat_response_part', text_response_part: { type, text, event_id } });

export const clientToolCall = (
  tool_name: string,
  tool_call_id: string,
  parameters: Record<string, unknown>,
  event_id: number,
  expects_response: boolean,
): ClientToolCallMessage => ({
  type: 'client_tool_call',
  // `expects_response` is not in the published contract; the contract allows extra fields.
  client_tool_call: {
    tool_name,
    tool_call_id,
    parameters,
    event_id,
    expects_response,
  } as ClientToolCallMessage['client_tool_call'],
});

export const agentToolResponse = (
  tool_name: string,
  tool_call_id: string,
  tool_type: 'client' | 'system',
  is_error: boolean,
  event_id: number,
): AgentToolResponseMessage => ({
  type: 'agent_tool_response',
  agent_tool_response: { tool_name, tool_call_id, tool_type, is_error, is_called: true, event_id },
});

export const vadScore = (vad_score: number): VadScore => ({ type: 'vad_score', vad_score_event: { vad_score } });

export const error = (code: ErrorEventCode, error_type: ErrorEventErrorType, message: string): ErrorMessage => ({
  type: 'error',
  error_event: { code, error_type, message, reason: message },
});
