// A development aid for stories: shows whether the emulator mounted on this dev server answers, which agents
// it serves, and what the built-in demo agent says first. Not a library export.
import { useEffect, useId, useState } from 'react';

export interface EmulatorStatusProps {
  /** Where the emulator's routes live; '' means this page's own server (Storybook and the demo mount it). */
  baseUrl?: string;
}

type Status =
  | { kind: 'checking' }
  | { kind: 'running'; agents: string[]; conversations: number; firstMessage: string | null }
  | { kind: 'unreachable'; reason: string };

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  try {
    return await response.json();
  } catch {
    throw new Error(`${url} did not answer with JSON`);
  }
}

async function readStatus(baseUrl: string, signal: AbortSignal): Promise<Status> {
  const health = (await getJson(`${baseUrl}/_emulator/health`, signal)) as {
    agents?: unknown;
    conversations?: unknown;
  };
  if (!Array.isArray(health.agents)) throw new Error('The health check did not list any agents');
  const widget = (await getJson(`${baseUrl}/v1/convai/agents/demo/widget`, signal)) as {
    widget_config?: { first_message?: unknown };
  };
  const first = widget.widget_config?.first_message;
  return {
    kind: 'running',
    agents: health.agents.map(String),
    conversations: typeof health.conversations === 'number' ? health.conversations : 0,
    firstMessage: typeof first === 'string' ? first : null,
  };
}

export function EmulatorStatus({ baseUrl = '' }: EmulatorStatusProps) {
  const [status, setStatus] = useState<Status>({ kind: 'checking' });
  const headingId = useId();
  const agentsId = useId();

  useEffect(() => {
    const controller = new AbortController();
    readStatus(baseUrl, controller.signal).then(setStatus, (error: unknown) => {
      if (controller.signal.aborted) return;
      setStatus({ kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) });
    });
    return () => controller.abort();
  }, [baseUrl]);

  return (
    <section aria-labelledby={headingId} style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem' }}>
      <h2 id={headingId}>Local ElevenLabs emulator</h2>
      <p role="status">
        {status.kind === 'checking' && 'Checking the emulator…'}
        {status.kind === 'running' &&
          `Running, with ${status.agents.length} agent${status.agents.length === 1 ? '' : 's'} and ${status.conversations} conversation${status.conversations === 1 ? '' : 's'} so far.`}
        {status.kind === 'unreachable' && 'Not reachable.'}
      </p>
      {status.kind === 'unreachable' && (
        <p>
          {status.reason}. The emulator runs inside <code>npm run storybook</code> and <code>npm run demo</code>; a
          static Storybook build has no emulator behind it.
        </p>
      )}
      {status.kind === 'running' && (
        <>
          <h3 id={agentsId}>Agents</h3>
          <ul aria-labelledby={agentsId}>
            {status.agents.map((agent) => (
              <li key={agent}>
                <code>{agent}</code>
              </li>
            ))}
          </ul>
          <h3>The demo agent’s first message</h3>
          <blockquote style={{ margin: 0, paddingLeft: '1rem', borderLeft: '3px solid #555' }}>
            {status.firstMessage ?? 'The demo agent waits for you to speak first.'}
          </blockquote>
        </>
      )}
    </section>
  );
}
