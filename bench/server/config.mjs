// What every process of bench/server.mjs agrees on: the key, the agent, and the variants under test.

export const API_KEY = 'sk_bench_0123456789abcdef0123456789abcdef'; // the upstream stub accepts only this key
export const AGENT_ID = 'agent_bench_01';
export const SIGNED_URL = `wss://api.elevenlabs.io/v1/convai/conversation?agent_id=${AGENT_ID}&conversation_signature=bench_0123456789abcdef`;

/** The variants, in the order the table lists them; `path` is what the load generator asks for. */
export const VARIANTS = [
  {
    name: 'naive',
    label: 'naive Express route (docs)',
    path: '/api/signed-url',
  },
  {
    name: 'ours-express',
    label: 'ours, toExpressMiddleware',
    path: `/api/elevenlabs/signed-url?agent_id=${AGENT_ID}`,
  },
  {
    name: 'ours-node',
    label: 'ours, toNodeListener (http)',
    path: `/api/elevenlabs/signed-url?agent_id=${AGENT_ID}`,
  },
];

/** Nearest-rank percentiles of a list of milliseconds. */
export function summary(values) {
  if (!values.length) return { count: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] };
}
