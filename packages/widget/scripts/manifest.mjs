// Writes packages/widget/custom-elements.json from the element's JSDoc (@tag, @attr, @fires, @csspart, @cssprop) with
// the Custom Elements Manifest analyzer, formatted by the repo's Prettier settings so `prettier --check` agrees.
// `node packages/widget/scripts/manifest.mjs` writes it; `generateManifest()` returns the text (the test compares it
// with the committed file, so the two never drift apart).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, ts } from '@custom-elements-manifest/analyzer';
import { litPlugin } from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
import * as prettier from 'prettier';

const packageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const manifestPath = path.join(packageDir, 'custom-elements.json');
/** The modules the manifest describes, relative to the package. */
export const SOURCES = ['src/convai-widget.ts'];

/**
 * Keeps the manifest to the public API: no private members (`#fields`, `@state()`s), and no nameless event (the
 * analyzer reports one for `dispatchEvent(new CustomEvent(`elevenlabs-convai:${name}`))`, a name it cannot read; the
 * @fires tags name every event).
 */
const publicApiOnly = () => ({
  name: 'elevenkit-public-api-only',
  moduleLinkPhase({ moduleDoc }) {
    for (const declaration of moduleDoc.declarations ?? []) {
      if (declaration.members) {
        declaration.members = declaration.members.filter(
          (member) => member.privacy !== 'private' && !member.name.startsWith('#'),
        );
      }
      if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
    }
  },
});

/** The manifest as the analyzer makes it from the JSDoc, with the Lit plugins. */
export async function analyze() {
  const modules = await Promise.all(
    SOURCES.map(async (file) =>
      ts.createSourceFile(file, await readFile(path.join(packageDir, file), 'utf8'), ts.ScriptTarget.ES2015, true),
    ),
  );
  return create({ modules, plugins: [...litPlugin(), publicApiOnly()], context: { dev: false } });
}

/** custom-elements.json as it should be committed. */
export async function generateManifest() {
  const options = (await prettier.resolveConfig(manifestPath)) ?? {};
  return prettier.format(JSON.stringify(await analyze()), { ...options, filepath: manifestPath });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(manifestPath, await generateManifest());
  console.log(`wrote ${path.relative(process.cwd(), manifestPath)}`);
}
