import { svg } from 'lit';

// Simple stroked 24×24 glyphs, drawn for this widget; decorative (the buttons carry the names).
const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  phone: icon(
    svg`<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"/>`,
  ),
  phoneOff: icon(
    svg`<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"/><path d="M3 3l18 18"/>`,
  ),
  mic: icon(svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>`),
  micOff: icon(svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3M3 3l18 18"/>`),
  chat: icon(svg`<path d="M4 5h16v11H9l-5 4z"/>`),
  chevronDown: icon(svg`<path d="M6 9l6 6 6-6"/>`),
  close: icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`),
  send: icon(svg`<path d="M4 12l16-8-6 16-3-6z"/>`),
  thumbUp: icon(svg`<path d="M7 11v9H4v-9zM7 11l4-7a2 2 0 0 1 3 2l-1 4h6a2 2 0 0 1 2 2l-2 6a2 2 0 0 1-2 2H7"/>`),
  star: icon(svg`<path d="M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2-5.5-2.9-5.5 2.9 1-6.2L3 9.6l6.2-.9z"/>`),
  thumbDown: icon(svg`<path d="M7 13V4H4v9zM7 13l4 7a2 2 0 0 0 3-2l-1-4h6a2 2 0 0 0 2-2l-2-6a2 2 0 0 0-2-2H7"/>`),
};
