// The upstream stub, alone in its process: answers GET /v1/convai/conversation/get-signed-url like ElevenLabs
// does (after checking `xi-api-key` and `agent_id`), and counts what it served for the sanity check.
import http from 'node:http';
import { AGENT_ID, API_KEY, SIGNED_URL } from './config.mjs';

const OK = JSON.stringify({ signed_url: SIGNED_URL });
const BAD_KEY = JSON.stringify({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
const NOT_FOUND = JSON.stringify({ detail: { status: 'not_found', message: 'Not found' } });
let served = 0;
let refused = 0;

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const server = http.createServer((req, res) => {
  const [path, query = ''] = req.url.split('?');
  if (req.method !== 'GET' || path !== '/v1/convai/conversation/get-signed-url') return send(res, 404, NOT_FOUND);
  if (req.headers['xi-api-key'] !== API_KEY) return (refused++, send(res, 401, BAD_KEY));
  if (new URLSearchParams(query).get('agent_id') !== AGENT_ID) return (refused++, send(res, 404, NOT_FOUND));
  served++;
  send(res, 200, OK);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));

process.on('message', (message) => {
  if (message.type === 'count') process.send({ type: 'count', served, refused, cpu: process.cpuUsage() });
});
process.on('disconnect', () => process.exit(0)); // never outlives bench/server.mjs
