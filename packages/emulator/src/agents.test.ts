import { describe, expect, it } from 'vitest';
import { AgentConfigError, DEMO_AGENT, parseAgentsJson, resolveAgent } from './agents.ts';

describe('agent definitions', () => {
  it('fill ElevenLabs-like defaults', () => {
    const agent = resolveAgent({ agent_id: 'a' });
    expect(agent).toMatchObject({
      language: 'en',
      text_only: false,
      auth_required: false,
      input_audio_format: 'pcm_16000',
      output_audio_format: 'pcm_16000',
      turn_timeout_seconds: 7,
      max_duration_seconds: 600,
    });
    expect(agent.client_events).toContain('audio');
  });

  it('reject bad fields with an error naming the agent and the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ agent_id: 'has space' }, /Agent ids must be/],
      [{ agent_id: 'a', text_only: 'yes' }, /"text_only" must be true or false/],
      [{ agent_id: 'a', output_audio_format: 'mp3_44100' }, /"output_audio_format" must be pcm_8000/],
      [{ agent_id: 'a', client_events: ['telepathy'] }, /"client_events" must be a list of/],
      [{ agent_id: 'a', rules: [{ match: '(' }] }, /rules\[0\]\.match" must be a valid regular expression/],
      [{ agent_id: 'a', rules: [{ match: 'x', tool: { name: 'ghost' } }] }, /missing "ghost"/],
      [{ agent_id: 'a', allowlist: 'example.com' }, /"allowlist" must be a list of strings/],
    ];
    for (const [definition, message] of bad) {
      expect(() => resolveAgent(definition as never)).toThrow(AgentConfigError);
      expect(() => resolveAgent(definition as never)).toThrow(message);
    }
  });

  it('parse agents files as a list or { agents: [...] }, with a clear error for bad JSON', () => {
    expect(parseAgentsJson('[{"agent_id":"a"}]')).toHaveLength(1);
    expect(parseAgentsJson('{"agents":[{"agent_id":"a"},{"agent_id":"b"}]}')).toHaveLength(2);
    expect(() => parseAgentsJson('{', 'agents.json')).toThrow(/agents\.json is not valid JSON/);
    expect(() => parseAgentsJson('{"agent":[]}', 'agents.json')).toThrow(/must be a list of agents/);
  });

  it('the demo agent is valid and shows a client tool', () => {
    const demo = resolveAgent(DEMO_AGENT);
    expect(demo.client_tools.map((t) => t.name)).toEqual(['get_local_time']);
    expect(demo.rules.some((r) => r.end_call)).toBe(true);
  });
});
