// Renders a component into the jsdom document, in StrictMode, for the component tests; `cleanup` unmounts it.
import { act, StrictMode, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement | null = null;

export function render(node: ReactNode) {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root!.render(<StrictMode>{node}</StrictMode>));
  return host;
}

export function cleanup() {
  act(() => root?.unmount());
  host?.remove();
  root = null;
  host = null;
}
