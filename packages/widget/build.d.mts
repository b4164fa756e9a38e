import type { Plugin } from 'vite';

export const distDir: string;
/** `worklets/<name>` → the file it is copied from. */
export const WORKLETS: Record<string, string>;
/** Every script-tag file as `name → contents`: elevenkit-widget.js, elevenkit-widget-rtc.js, worklets/*.js. */
export function buildWidgetFiles(): Promise<Map<string, string>>;
export function writeWidgetFiles(outDir?: string): Promise<Map<string, string>>;
/** Serves the built files at /elevenkit-widget.js, /elevenkit-widget-rtc.js and /worklets/… on a Vite dev server. */
export function widgetAssets(): Plugin;
