import type { Preview } from '@storybook/react-vite';
import { configure } from 'storybook/test';

// Play functions wait on a real emulator, real audio and, in `npm test`, a busy machine: give `waitFor` and the
// `findBy` queries 5 s rather than Testing Library's 1 s before they fail (they still pass as soon as they can).
configure({ asyncUtilTimeout: 5_000 });

const preview: Preview = {
  parameters: {
    // Accessibility violations found by axe fail the story's test, not just show in the panel.
    a11y: { test: 'error' },
  },
};

export default preview;
