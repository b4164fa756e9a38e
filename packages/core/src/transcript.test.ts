import { describe, expect, it } from 'vitest';
import {
  stripAudioTags,
  withAgentPart,
  withCorrection,
  withMessage,
  withNotice,
  withTentativeUser,
  withTool,
  type Transcript,
} from './transcript.ts';

const texts = (transcript: Transcript) =>
  transcript.map((entry) => (entry.kind === 'message' ? `${entry.role}:${entry.state}:${entry.text}` : entry.kind));

describe('the transcript model', () => {
  it('replaces the tentative user text as recognition goes on, then makes it final in place', () => {
    let t: Transcript = withMessage([], 'agent', 'Hello');
    t = withTentativeUser(t, 'what');
    t = withTentativeUser(t, 'what can');
    expect(texts(t)).toEqual(['agent:final:Hello', 'user:tentative:what can']);
    const tentativeId = t[1]!.id;
    t = withMessage(t, 'user', 'what can you do', 3);
    expect(texts(t)).toEqual(['agent:final:Hello', 'user:final:what can you do']);
    expect(t[1]!.id).toBe(tentativeId);
  });

  it('drops an empty tentative entry', () => {
    const t = withTentativeUser(withTentativeUser([], 'hm'), '  ');
    expect(t).toEqual([]);
  });

  it('streams agent text in parts and lets agent_response finish it', () => {
    let t: Transcript = withAgentPart([], { type: 'start', event_id: 4 });
    t = withAgentPart(t, { type: 'delta', text: 'I can ' });
    t = withAgentPart(t, { type: 'delta', text: 'help.' });
    expect(texts(t)).toEqual(['agent:streaming:I can help.']);
    t = withAgentPart(t, { type: 'stop' });
    t = withMessage(t, 'agent', 'I can help.', 4);
    expect(texts(t)).toEqual(['agent:final:I can help.']);
  });

  it('keeps two replies that stream at once apart, by event id', () => {
    let t: Transcript = withAgentPart([], { type: 'start', event_id: 1 });
    t = withAgentPart(t, { type: 'delta', text: 'Hi! I', event_id: 1 });
    t = withMessage(t, 'user', 'what can you do', 2);
    t = withAgentPart(t, { type: 'start', event_id: 2 });
    t = withAgentPart(t, { type: 'delta', text: 'I can', event_id: 2 });
    t = withAgentPart(t, { type: 'delta', text: "'m the demo.", event_id: 1 });
    t = withAgentPart(t, { type: 'delta', text: ' answer.', event_id: 2 });
    t = withMessage(t, 'agent', "Hi! I'm the demo.", 1);
    t = withMessage(t, 'agent', 'I can answer.', 2);
    expect(texts(t)).toEqual([
      "agent:final:Hi! I'm the demo.",
      'user:final:what can you do',
      'agent:final:I can answer.',
    ]);
  });

  it('shows only what was spoken after an interruption', () => {
    const t = withCorrection(
      withMessage([], 'agent', 'A long story about speech'),
      'A long story about speech',
      'A long',
    );
    expect(t[0]).toMatchObject({ text: 'A long', interrupted: true });
  });

  it('tracks a tool call by id from running to done', () => {
    let t = withTool([], 'call-1', 'get_weather', 'running');
    t = withTool(t, 'call-1', 'get_weather', 'done');
    expect(t).toEqual([{ kind: 'tool', id: 'call-1', name: 'get_weather', status: 'done' }]);
  });

  it('never changes a transcript in place', () => {
    const before: Transcript = Object.freeze([...withNotice([], 'error', 'Oops')]);
    const after = withMessage(before, 'user', 'hi');
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(2);
  });
});

describe('stripAudioTags', () => {
  it('removes [tags] that steer the voice, and keeps the words', () => {
    expect(stripAudioTags('[laughs] That is funny [whispers] really')).toBe('That is funny really');
    expect(stripAudioTags('No tags here.')).toBe('No tags here.');
  });
});
