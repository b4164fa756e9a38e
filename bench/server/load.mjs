// The load generator, alone in its process. On `run`, it opens N keep-alive connections to the server under test
// and sends, on each, one request after another (the next as soon as the previous answer is complete) for a
// warm-up and then a measured window, and reports requests per second and latency percentiles of the window.
// It speaks HTTP/1.1 over raw sockets (as wrk and autocannon do) so that it costs far less CPU than the servers it
// measures: on a 2-core machine, Node's own http client would take CPU away from them.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { summary } from './config.mjs';

const ANSWER_TIMEOUT_MS = 5000;

process.on('message', async (message) => {
  if (message.type === 'run') process.send({ type: 'result', ...(await run(message)) });
});
process.on('disconnect', () => process.exit(0)); // never outlives bench/server.mjs

/** Whether `text` (all received since the request was sent) holds a complete response. */
function complete(text) {
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) return false;
  const head = text.slice(0, headerEnd).toLowerCase();
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return text.length >= headerEnd + 4 + Number(length[1]);
  return head.includes('\r\ntransfer-encoding: chunked') && text.endsWith('\r\n0\r\n\r\n');
}

async function run({ port, path, connections, warmupMs, seconds }) {
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\n\r\n`;
  const started = performance.now();
  const markAt = started + warmupMs;
  const endAt = markAt + seconds * 1000;
  const latencies = [];
  let errors = 0;
  let cpu;
  const sockets = new Set();

  const windowStart = setTimeout(() => (cpu = process.cpuUsage()), warmupMs);

  /** One connection's request loop; resolves when the window is over (or the server stops answering). */
  const connection = () =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      sockets.add(socket);
      socket.setNoDelay(true);
      let received = '';
      let sentAt = 0;
      const send = () => {
        received = '';
        sentAt = performance.now();
        socket.write(request);
      };
      const watchdog = setInterval(() => {
        if (performance.now() - sentAt > ANSWER_TIMEOUT_MS) socket.destroy(new Error('no answer'));
      }, 1000);
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if (!complete(received)) return;
        const now = performance.now();
        if (now >= markAt && now < endAt) {
          // A wrong answer counts as an error, not as a fast request.
          if (received.startsWith('HTTP/1.1 200') && received.includes('"wss://')) latencies.push(now - sentAt);
          else errors++;
        }
        if (now < endAt) send();
        else socket.end();
      });
      socket.on('error', () => {
        if (performance.now() < endAt) errors++;
      });
      socket.on('close', () => {
        clearInterval(watchdog);
        sockets.delete(socket);
        resolve();
      });
    });

  // Connections that the server closes early are opened again, so that N stay busy until the window ends.
  const keepBusy = async () => {
    for (let first = true; performance.now() < endAt; first = false) {
      if (!first) await sleep(50); // not a tight loop if the server refuses connections
      await connection();
    }
  };
  await Promise.all(Array.from({ length: connections }, keepBusy));
  clearTimeout(windowStart);
  for (const socket of sockets) socket.destroy();
  const used = cpu && process.cpuUsage(cpu);
  return {
    rps: latencies.length / seconds,
    errors,
    latency: summary(latencies),
    cpuPercent: used ? (used.user + used.system) / 1e4 / seconds : undefined,
  };
}
