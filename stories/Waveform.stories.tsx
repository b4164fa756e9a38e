// <Waveform> over a real SpeechPlayer speaking through the emulator: the peaks of the received audio drawn as bars,
// the played part in the progress colour, and seeking by pointer and keyboard through the slider laid over it.
import { AudioPlayer, Waveform, type WaveformProps } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { SPEECH_DEFAULTS, strict, useStoryPlayer, type SpeechArgs } from './PlayerStorySupport.tsx';

type WaveformStoryArgs = SpeechArgs & Pick<WaveformProps, 'barWidth' | 'barGap' | 'seekable'>;

function WaveformPlayer({ barWidth, barGap, seekable, ...speech }: WaveformStoryArgs) {
  const player = useStoryPlayer(speech);
  return (
    <AudioPlayer.Root player={player}>
      <AudioPlayer.PlayButton />
      <Waveform barWidth={barWidth} barGap={barGap} seekable={seekable} style={{ flex: '1 1 20rem' }} />
      <AudioPlayer.Time />
      <AudioPlayer.Status />
    </AudioPlayer.Root>
  );
}

const meta = {
  title: 'Player/Waveform',
  component: WaveformPlayer,
  decorators: [strict],
  args: {
    ...SPEECH_DEFAULTS,
    text: 'The waveform is drawn from the audio itself, bar by bar, and the played part changes colour.',
    barWidth: 3,
    barGap: 2,
    seekable: true,
  },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof WaveformPlayer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The queries a play function gets for the story's root. */
type Canvas = Parameters<NonNullable<Story['play']>>[0]['canvas'];
const waveformOf = (canvas: Canvas) =>
  canvas.getByRole('group', { name: 'Audio player' }).querySelector<HTMLElement>('.ek-waveform')!;
const progress = (canvas: Canvas) => Number(waveformOf(canvas).style.getPropertyValue('--ek-progress') || 0);

/** How many pixel columns of a canvas hold something drawn. */
function drawnColumns(canvas: HTMLCanvasElement): number {
  const context = canvas.getContext('2d')!;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  let columns = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (data[(y * width + x) * 4 + 3]! > 0) {
        columns++;
        break;
      }
    }
  }
  return columns;
}

/** How much is drawn on a canvas (the sum of its alpha). */
function ink(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0;
  for (let i = 3; i < data.length; i += 4) sum += data[i]!;
  return sum;
}

/** Bars of different heights once audio has arrived; the played overlay grows as it plays. */
export const Playing: Story = {
  play: async ({ canvas }) => {
    const waveform = waveformOf(canvas);
    // Every progress the waveform draws from now on (written each frame to its style), watched rather than polled.
    const drawn: number[] = [progress(canvas)];
    const observer = new MutationObserver(() => {
      if (drawn.at(-1) !== progress(canvas)) drawn.push(progress(canvas));
    });
    observer.observe(waveform, { attributes: true, attributeFilter: ['style'] });
    const [bars] = Array.from(waveform.querySelectorAll('canvas'));
    await waitFor(() => expect(waveform).toHaveAttribute('data-complete'), { timeout: 15_000 });
    await expect(drawnColumns(bars!)).toBeGreaterThan(bars!.width / 3);
    // Not a flat line: the peaks differ.
    const context = bars!.getContext('2d')!;
    const heights = new Set<number>();
    for (let x = 0; x < bars!.width; x += 5) {
      const column = context.getImageData(x, 0, 1, bars!.height).data;
      let h = 0;
      for (let y = 3; y < column.length; y += 4) if (column[y]! > 0) h++;
      heights.add(h);
    }
    await expect(heights.size).toBeGreaterThan(3);
    // The played part was drawn as it played, up to the end: waited for, however fast or slow the page.
    await waitFor(() => expect(progress(canvas)).toBe(1), { timeout: 20_000 });
    observer.disconnect();
    await expect(drawn.length, `progress drawn: ${drawn.join(' ')}`).toBeGreaterThan(2);
    // (Not always upwards while streaming: the bars span what has arrived, so a longer whole shrinks the share.)
    await expect(Math.min(...drawn)).toBeLessThan(1);
    await expect(canvas.getByRole('slider', { name: 'Seek in waveform' })).toHaveAttribute(
      'aria-valuetext',
      expect.stringMatching(/^\d+ seconds? of \d+ seconds?/),
    );
  },
};

/**
 * PCM samples are known as they arrive, so the bars are redrawn while the audio still streams: the whole received
 * audio across the width, reshaping as more comes.
 */
export const GrowingWhileStreaming: Story = {
  // A longer text (about fifteen seconds of speech), so the stream takes a few seconds to arrive.
  args: {
    format: 'pcm_24000',
    text: 'The bars are drawn while the audio still streams in: the whole of what has arrived across the width, reshaping as more comes, until the last chunk is in.',
  },
  play: async ({ canvas }) => {
    const waveform = waveformOf(canvas);
    const [bars] = Array.from(waveform.querySelectorAll('canvas'));
    // What the bars look like at each frame drawn before the end (a busy machine draws fewer frames, but each one
    // is looked at, rather than polled at an interval that may come too late).
    const seen: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the audio never completed')), 20_000);
      const look = () => {
        if (waveform.hasAttribute('data-complete')) return resolve(clearTimeout(timer));
        seen.push(ink(bars!));
        requestAnimationFrame(look);
      };
      look();
    });
    // Before the end, the drawing changed: audio drawn as it came.
    await expect(new Set(seen).size).toBeGreaterThan(2);
  },
};

/** Clicking the waveform plays from that point: here three quarters of the way in. */
export const ClickToSeek: Story = {
  args: { autoplay: false },
  play: async ({ canvas }) => {
    const slider = canvas.getByRole('slider', { name: 'Seek in waveform' });
    await waitFor(() => expect(waveformOf(canvas)).toHaveAttribute('data-complete'), { timeout: 15_000 });
    const box = slider.getBoundingClientRect();
    await userEvent.pointer([
      { keys: '[MouseLeft]', target: slider, coords: { clientX: box.left + box.width * 0.75, clientY: box.top + 5 } },
    ]);
    await waitFor(() => expect(progress(canvas)).toBeCloseTo(0.75, 1));
    await expect(document.activeElement).toBe(slider);
    await expect(canvas.getByRole('button', { name: 'Play' })).toHaveAttribute('data-state', 'paused');
  },
};

/** The same keys as the scrub bar: End to the end, Home to the start, arrows by five seconds. */
export const KeyboardSeeking: Story = {
  args: { autoplay: false },
  play: async ({ canvas }) => {
    const slider = canvas.getByRole('slider', { name: 'Seek in waveform' });
    await waitFor(() => expect(waveformOf(canvas)).toHaveAttribute('data-complete'), { timeout: 15_000 });
    slider.focus();
    await userEvent.keyboard('{End}');
    await waitFor(() => expect(progress(canvas)).toBe(1));
    await expect(slider.getAttribute('aria-valuetext')).toMatch(/^(.+) of \1$/);
    await userEvent.keyboard('{Home}');
    await waitFor(() => expect(progress(canvas)).toBe(0));
    await userEvent.keyboard('{ArrowRight}');
    await waitFor(() => expect(slider).toHaveAttribute('aria-valuetext', expect.stringMatching(/^5 seconds of /)));
  },
};

/** Thin, tight bars; without seeking the waveform is decorative (hidden from assistive technology). */
export const DecorativeThinBars: Story = {
  args: { barWidth: 1, barGap: 1, seekable: false },
  play: async ({ canvas }) => {
    await expect(canvas.queryByRole('slider')).toBeNull();
    const canvases = Array.from(waveformOf(canvas).querySelectorAll('canvas'));
    await expect(canvases.every((c) => c.getAttribute('aria-hidden') === 'true')).toBe(true);
    await waitFor(() => expect(progress(canvas)).toBeGreaterThan(0), { timeout: 10_000 });
  },
};
