// @vitest-environment node
// Server rendering: the hooks render the idle player without touching any browser API.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useSpeech } from './use-speech.ts';
import { useWordTimeline } from './use-word-timeline.ts';

function Speaker() {
  const { player, snapshot } = useSpeech({ text: 'Hello from the server.', voiceId: 'v' });
  const { words, activeWord } = useWordTimeline(player);
  return (
    <p data-status={snapshot.status}>
      {words.length}/{activeWord}
    </p>
  );
}

describe('hooks on a server', () => {
  it('render the idle player', () => {
    expect(typeof window).toBe('undefined');
    expect(renderToString(<Speaker />)).toBe('<p data-status="idle">0<!-- -->/<!-- -->-1</p>');
  });
});
