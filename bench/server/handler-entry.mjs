// One module graph for the handler and its adapters (loaded by target.mjs through Vite's module runner, since
// Node 20 cannot run the TypeScript sources directly).
export { createTokenHandler } from '../../packages/server/src/index.ts';
export { toExpressMiddleware, toNodeListener } from '../../packages/server/src/node.ts';
