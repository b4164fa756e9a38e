import { css } from 'lit';

// Theming: the `--el-*` custom properties carry the names of `widget_config.styles` (base, accent, radii…), so a
// config's styles and a page's CSS speak the same language. Page CSS on the element wins over the config.
export const widgetStyles = css`
  :host {
    --_base: var(--el-base, #ffffff);
    --_base-hover: var(--el-base-hover, #f3f4f6);
    --_text: var(--el-base-primary, #111827);
    --_subtle: var(--el-base-subtle, #4b5563);
    --_border: var(--el-base-border, #d1d5db);
    --_error: var(--el-base-error, #b91c1c);
    --_accent: var(--el-accent, #111827);
    --_accent-hover: var(--el-accent-hover, #374151);
    --_on-accent: var(--el-accent-primary, #ffffff);
    --_focus: var(--el-focus-color, #2563eb);
    --_radius: var(--el-button-radius, 18px);
    --_sheet-radius: var(--el-sheet-radius, 24px);
    --_bubble-radius: var(--el-bubble-radius, 15px);
    --_padding: var(--el-overlay-padding, 24px);
    display: block;
    font: 14px/1.4 var(--el-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_base: var(--el-base, #18181b);
      --_base-hover: var(--el-base-hover, #27272a);
      --_text: var(--el-base-primary, #f4f4f5);
      --_subtle: var(--el-base-subtle, #a1a1aa);
      --_border: var(--el-base-border, #3f3f46);
      --_error: var(--el-base-error, #fca5a5);
      --_accent: var(--el-accent, #f4f4f5);
      --_accent-hover: var(--el-accent-hover, #d4d4d8);
      --_on-accent: var(--el-accent-primary, #18181b);
      --_focus: var(--el-focus-color, #93c5fd);
    }
  }
  [hidden] {
    display: none !important;
  }
  .overlay {
    position: fixed;
    z-index: 2147483000;
    display: flex;
    flex-direction: column;
    gap: 12px;
    max-width: calc(100vw - 2 * var(--_padding));
    pointer-events: none;
  }
  .overlay > * {
    pointer-events: auto;
  }
  .top-left,
  .top,
  .top-right {
    top: var(--_padding);
    flex-direction: column-reverse;
  }
  .bottom-left,
  .bottom,
  .bottom-right {
    bottom: var(--_padding);
  }
  .top-left,
  .bottom-left {
    left: var(--_padding);
    align-items: flex-start;
  }
  .top-right,
  .bottom-right {
    right: var(--_padding);
    align-items: flex-end;
  }
  .top,
  .bottom {
    left: 50%;
    transform: translateX(-50%);
    align-items: center;
  }
  .launcher,
  .sheet {
    background: var(--_base);
    border: 1px solid var(--_border);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.16);
  }
  .launcher {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px;
    border-radius: calc(var(--_radius) + 6px);
  }
  .full {
    flex-direction: column;
    padding: 16px;
    border-radius: var(--_sheet-radius);
    min-width: 220px;
  }
  .full .label {
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    justify-content: center;
  }
  button,
  textarea,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    min-width: 36px;
    padding: 0 14px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_base);
    cursor: pointer;
  }
  button:hover {
    background: var(--_base-hover);
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button.primary:hover {
    background: var(--_accent-hover);
  }
  button.icon {
    padding: 0;
    border-radius: 50%;
  }
  button:focus-visible,
  textarea:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  svg {
    width: 18px;
    height: 18px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .avatar {
    position: relative;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    background: radial-gradient(circle at 30% 30%, var(--_orb-2, #9ce6e6), var(--_orb-1, #2792dc));
    background-size: cover;
    background-position: center;
    transform: scale(calc(1 + var(--_level, 0) * 0.12));
    transition: transform 80ms linear;
  }
  /* The level ring: transform and opacity only, so a speaking agent costs no layout or paint. */
  .avatar::after {
    content: '';
    position: absolute;
    inset: 0;
    z-index: -1;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_orb-1, #2792dc) 35%, transparent);
    opacity: var(--_level, 0);
    transform: scale(calc(1 + var(--_level, 0) * 0.4));
    transition:
      transform 80ms linear,
      opacity 80ms linear;
  }
  .full .avatar {
    width: 72px;
    height: 72px;
  }
  .status {
    color: var(--_subtle);
    font-size: 13px;
  }
  .sheet {
    display: flex;
    flex-direction: column;
    width: min(400px, calc(100vw - 2 * var(--_padding)));
    height: min(560px, calc(100vh - 140px));
    border-radius: var(--_sheet-radius);
    overflow: hidden;
  }
  .always .sheet {
    height: min(640px, calc(100vh - 2 * var(--_padding)));
  }
  header {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 12px 12px 12px 16px;
    border-bottom: 1px solid var(--_border);
  }
  header .title {
    flex: 1;
    min-width: 0;
  }
  header h2 {
    margin: 0;
    font-size: 15px;
  }
  header .avatar {
    width: 32px;
    height: 32px;
  }
  .log {
    flex: 1;
    overflow-y: auto;
    padding: 12px 16px;
    display: flex;
    flex-direction: column;
    gap: 8px;
    overscroll-behavior: contain;
  }
  .message {
    max-width: 85%;
    padding: 8px 12px;
    border-radius: var(--_bubble-radius);
    overflow-wrap: anywhere;
  }
  .message .text {
    white-space: pre-wrap;
  }
  .message.agent {
    align-self: flex-start;
    background: var(--_base-hover);
  }
  .message.user {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .message.tentative {
    opacity: 0.7;
    font-style: italic;
  }
  .interrupted::after {
    content: ' …';
  }
  .tool,
  .notice {
    align-self: center;
    font-size: 12px;
    color: var(--_subtle);
  }
  .notice.error,
  .error {
    color: var(--_error);
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    margin: 0;
    padding: 8px 12px;
    max-width: 360px;
    background: var(--_base);
    border: 1px solid var(--_border);
    border-radius: 12px;
  }
  .conversation-id {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 4px 16px;
    font-size: 12px;
    color: var(--_subtle);
  }
  .conversation-id code {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .conversation-id button {
    min-height: 28px;
    padding: 0 10px;
    font-size: 12px;
  }
  .feedback {
    display: flex;
    gap: 6px;
    align-items: center;
    padding: 4px 16px;
    font-size: 13px;
  }
  form {
    display: flex;
    gap: 8px;
    align-items: flex-end;
    padding: 10px 12px;
    border-top: 1px solid var(--_border);
  }
  textarea {
    flex: 1;
    min-height: 38px;
    max-height: 120px;
    padding: 8px 12px;
    resize: none;
    border: 1px solid var(--_border);
    border-radius: var(--el-input-radius, 10px);
    background: var(--_base);
  }
  .controls {
    display: flex;
    gap: 6px;
    align-items: center;
    padding: 10px 12px;
    border-top: 1px solid var(--_border);
  }
  input[type='range'] {
    width: 96px;
    accent-color: var(--_accent);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (max-width: 480px) {
    .sheet {
      width: calc(100vw - 2 * var(--_padding));
    }
  }
  @media (prefers-reduced-motion: reduce) {
    /* The ring still shows the level, without growing or animating. */
    .avatar,
    .avatar::after {
      transform: none;
      transition: none;
    }
  }
`;
