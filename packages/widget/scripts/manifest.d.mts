import type { Package } from 'custom-elements-manifest/schema';

/** packages/widget/custom-elements.json */
export const manifestPath: string;
/** The modules the manifest describes, relative to the package. */
export const SOURCES: string[];
/** The manifest as the analyzer makes it from the JSDoc. */
export function analyze(): Promise<Package>;
/** custom-elements.json as it should be committed (Prettier-formatted). */
export function generateManifest(): Promise<string>;
