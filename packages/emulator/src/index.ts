export { createEmulator, createEmulatorCore } from './emulator.ts';
export type { Emulator, EmulatorCore, EmulatorEvents, EmulatorOptions, Refusal } from './emulator.ts';
export { AgentConfigError, CLIENT_EVENTS, DEMO_AGENT, parseAgentsJson, resolveAgent } from './agents.ts';
export type { Agent, AgentDefinition, AudioFormat, ClientToolDefinition, Faults, ReplyRule } from './agents.ts';
export type { ConversationRecord, TranscriptEntry } from './store.ts';
export { recognize, synthesize, toWav } from './speech.ts';
export type { Alignment, Recognition, SynthesizedSpeech } from './speech.ts';
