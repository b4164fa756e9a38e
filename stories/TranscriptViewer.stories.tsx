// <TranscriptViewer> over a real SpeechPlayer speaking through the emulator: words light up as they are spoken
// (data-status spoken / current / unspoken, aria-current), a click or Enter on a word plays from it, and a
// scrolling viewer keeps the current word in view.
import { AudioPlayer, TranscriptViewer, type TranscriptViewerProps } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import {
  becomes,
  injectTtsFaults,
  SPEECH_DEFAULTS,
  strict,
  useStoryPlayer,
  VOICES,
  type SpeechArgs,
} from './PlayerStorySupport.tsx';

type TranscriptStoryArgs = SpeechArgs & Pick<TranscriptViewerProps, 'autoScroll' | 'seekOnClick' | 'placeholder'>;

/** A play button, the transcript, and the player's status. */
function Transcript({ autoScroll, seekOnClick, placeholder, ...speech }: TranscriptStoryArgs) {
  const player = useStoryPlayer(speech);
  return (
    <AudioPlayer.Root player={player} style={{ display: 'grid', gap: '0.75rem', justifyItems: 'start' }}>
      <AudioPlayer.PlayButton />
      <TranscriptViewer
        autoScroll={autoScroll}
        seekOnClick={seekOnClick}
        placeholder={placeholder}
        style={autoScroll ? { maxBlockSize: '3.4em', inlineSize: '16rem' } : undefined}
      />
      <AudioPlayer.Status />
    </AudioPlayer.Root>
  );
}

const meta = {
  title: 'Player/TranscriptViewer',
  component: Transcript,
  decorators: [strict],
  args: {
    ...SPEECH_DEFAULTS,
    text: 'Each word lights up [softly] as it is spoken, and the words already said stay marked.',
    autoScroll: false,
    seekOnClick: true,
    placeholder: 'The words appear as the audio arrives…',
  },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof Transcript>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The queries a play function gets for the story's root. */
type Canvas = Parameters<NonNullable<Story['play']>>[0]['canvas'];
const wordsIn = (canvas: Canvas) =>
  Array.from(canvas.getByRole('group', { name: 'Transcript' }).querySelectorAll<HTMLElement>('.ek-word'));
const statuses = (canvas: Canvas) => wordsIn(canvas).map((word) => word.dataset.status);
const wordNamed = (canvas: Canvas, text: string) => wordsIn(canvas).find((word) => word.textContent === text)!;
/** Paused, with every word of the text arrived. */
const allWordsIn = async (canvas: Canvas) => {
  await waitFor(() => expect(canvas.getByRole('button', { name: 'Play' })).toHaveAttribute('data-state', 'paused'), {
    timeout: 10_000,
  });
  await waitFor(() => expect(wordsIn(canvas).at(-1)).toHaveTextContent('marked.'), { timeout: 10_000 });
};

/**
 * Words light up in order as they are spoken: the current one (`aria-current`) between spoken and unspoken words,
 * and all spoken at the end. The `[softly]` audio tag steers the voice and is not shown.
 */
export const Highlighting: Story = {
  play: async ({ canvas }) => {
    await waitFor(() => expect(wordsIn(canvas).length).toBeGreaterThan(10), { timeout: 10_000 });
    await expect(canvas.queryByText(/softly|\[/)).toBeNull();
    // A word is current, and later a later one is, the first now spoken.
    const currentIndex = () => statuses(canvas).indexOf('current');
    const first = await waitFor(
      () => {
        const index = currentIndex();
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(wordsIn(canvas).length - 3);
        return index;
      },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(currentIndex()).toBeGreaterThan(first), { timeout: 10_000 });
    await expect(wordsIn(canvas)[first]).toHaveAttribute('data-status', 'spoken');
    const now = statuses(canvas);
    const current = now.indexOf('current');
    await expect(now.slice(0, current).every((status) => status === 'spoken')).toBe(true);
    await expect(now.slice(current + 1).every((status) => status === 'unspoken')).toBe(true);
    await expect(wordsIn(canvas).filter((word) => word.getAttribute('aria-current') === 'true')).toHaveLength(1);
    // At the end every word has been spoken and none is current.
    await waitFor(() => expect(statuses(canvas).every((status) => status === 'spoken')).toBe(true), {
      timeout: 15_000,
    });
    await expect(canvas.getByRole('status')).toHaveTextContent('Finished');
  },
};

/** Clicking a word plays from it: it becomes the current word, the ones before it spoken. */
export const ClickToSeek: Story = {
  args: { autoplay: false },
  play: async ({ canvas }) => {
    await allWordsIn(canvas);
    await userEvent.click(wordNamed(canvas, 'spoken,'));
    await waitFor(() => expect(wordNamed(canvas, 'spoken,')).toHaveAttribute('data-status', 'current'));
    await expect(wordNamed(canvas, 'Each')).toHaveAttribute('data-status', 'spoken');
    await expect(wordNamed(canvas, 'words')).toHaveAttribute('data-status', 'unspoken');
    // Playback goes on from there: the next word is spoken in its turn (watched, not polled: it lasts a moment).
    const next = becomes(wordNamed(canvas, 'and'), 'data-status', 'current');
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }));
    await next;
  },
};

/**
 * The transcript is one tab stop (the current word); the arrow keys move between words and Enter plays from the
 * focused one. Screen readers hear how, from the group's description.
 */
export const KeyboardSeeking: Story = {
  args: { autoplay: false },
  play: async ({ canvas }) => {
    await allWordsIn(canvas);
    await expect(canvas.getByRole('group', { name: 'Transcript' })).toHaveAccessibleDescription(
      /Press Enter on a word to play from there/,
    );
    await expect(wordsIn(canvas).filter((word) => word.tabIndex === 0)).toHaveLength(1);
    canvas.getByRole('button', { name: 'Play' }).focus();
    await userEvent.tab();
    await expect(document.activeElement).toBe(wordsIn(canvas)[0]);
    // One key per call: each moves the focus, and the next key goes to the newly focused word.
    for (let i = 0; i < 3; i++) await userEvent.keyboard('{ArrowRight}');
    await expect(document.activeElement).toHaveTextContent('up');
    // Each word is current only while it is spoken: watched from before the key, not polled after it.
    const up = becomes(wordNamed(canvas, 'up'), 'data-status', 'current');
    await userEvent.keyboard('{Enter}');
    await up;
    await userEvent.keyboard('{End}');
    await expect(document.activeElement).toHaveTextContent('marked.');
    const last = becomes(wordNamed(canvas, 'marked.'), 'data-status', 'current');
    await userEvent.keyboard(' ');
    await last;
    // Tab leaves the transcript in one step.
    await userEvent.tab();
    await expect(wordsIn(canvas)).not.toContain(document.activeElement);
  },
};

/** A viewer with a fixed height follows the reading: the current word is scrolled into view as it moves on. */
export const AutoScroll: Story = {
  args: {
    autoScroll: true,
    text: 'A long passage in a small box. The box scrolls by itself to keep the word being spoken in view, and stops following for a few seconds when you scroll it yourself.',
  },
  play: async ({ canvas }) => {
    const viewer = canvas.getByRole('group', { name: 'Transcript' });
    await waitFor(() => expect(viewer.scrollHeight).toBeGreaterThan(viewer.clientHeight), { timeout: 10_000 });
    await waitFor(() => expect(viewer.scrollTop).toBeGreaterThan(0), { timeout: 15_000 });
    const current = viewer.querySelector('[data-status="current"]')!;
    const view = viewer.getBoundingClientRect();
    const box = current.getBoundingClientRect();
    await expect(box.bottom).toBeGreaterThan(view.top);
    await expect(box.top).toBeLessThan(view.bottom);
  },
};

/** Without click-to-seek the words are plain text: no tab stops, clicks do nothing, highlighting goes on. */
export const ReadOnly: Story = {
  args: { seekOnClick: false },
  play: async ({ canvas }) => {
    await waitFor(() => expect(statuses(canvas)).toContain('current'), { timeout: 10_000 });
    await expect(wordsIn(canvas).some((word) => word.hasAttribute('tabindex'))).toBe(false);
    await expect(canvas.getByRole('group', { name: 'Transcript' })).not.toHaveAttribute('aria-describedby');
  },
};

/** Before any alignment has arrived (here the emulator answers after 30 s), the placeholder shows. */
export const WaitingForWords: Story = {
  args: { voiceId: VOICES.transcriptFaults },
  loaders: [() => injectTtsFaults(VOICES.transcriptFaults, { latency_ms: 30_000 })],
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('The words appear as the audio arrives…')).toBeVisible();
    await expect(wordsIn(canvas)).toHaveLength(0);
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading…');
  },
};

/** `renderWord` shapes each word; the word keeps its `data-status`, click handling and focus. */
export const CustomWords: Story = {
  render: (args) => {
    const Custom = () => {
      const player = useStoryPlayer(args);
      return (
        <AudioPlayer.Root player={player}>
          <AudioPlayer.PlayButton />
          <TranscriptViewer
            renderWord={(word, { status }) =>
              status === 'current' ? <strong>{word.text}</strong> : <span>{word.text}</span>
            }
          />
        </AudioPlayer.Root>
      );
    };
    return <Custom />;
  },
  play: async ({ canvas }) => {
    await waitFor(
      () => expect(canvas.getByRole('group', { name: 'Transcript' }).querySelector('strong')).not.toBeNull(),
      {
        timeout: 10_000,
      },
    );
    const strong = canvas.getByRole('group', { name: 'Transcript' }).querySelector('strong')!;
    await expect(strong.parentElement).toHaveAttribute('data-status', 'current');
  },
};
