// S3 benchmark, one keep-alive client (bench/lean_http.mjs), any S3 endpoint (Fogbank, s3rver):
// sequential 1 KiB PUTs then GETs (operations per second, latency percentiles), then one large
// object uploaded and downloaded streaming (MB/s). Prints one JSON document.
//   node s3_bench.mjs --endpoint http://127.0.0.1:PORT [--small 3000] [--large-mib 256]
//                     [--access-key test --secret-key test] [--cap-seconds 60]
import { agent, now, options, percentiles, request, signer, streamed } from './lean_http.mjs';

const o = options({
  endpoint: '', small: 3000, warmup: 200, largeMib: 256, accessKey: 'test', secretKey: 'test',
  capSeconds: 60, bucket: 'bench',
});
if (!o.endpoint) throw new Error('--endpoint http://127.0.0.1:PORT is required');

const via = agent();
const sign = signer({ accessKeyId: o.accessKey, secretAccessKey: o.secretKey });
const url = (key = '') => `${o.endpoint}/${o.bucket}${key ? `/${key}` : ''}`;

async function call(method, target, init = {}) {
  const r = await request(target, {
    method, via, keep: init.keep ?? true, body: init.body,
    headers: { ...sign(method, target), ...(init.headers ?? {}) },
  });
  if (r.status >= 300)
    throw new Error(`${method} ${target}: HTTP ${r.status} ${r.body?.toString().slice(0, 300)}`);
  return r;
}

// Runs `op(i)` up to `count` times or until the cap; latencies in ms.
async function sequential(count, op) {
  const latencies = [];
  const start = now();
  const deadline = start + o.capSeconds * 1000;
  for (let i = 0; i < count && now() < deadline; ++i) {
    const t = now();
    await op(i);
    latencies.push(now() - t);
  }
  const seconds = (now() - start) / 1000;
  return { ops: latencies.length, seconds: +seconds.toFixed(3),
    perSecond: Math.round(latencies.length / seconds), latencyMs: percentiles(latencies) };
}

const result = { endpoint: o.endpoint, small: {}, large: { mib: o.largeMib } };
await call('PUT', url());

const kib = Buffer.alloc(1024, 'x');
const headers = { 'content-type': 'application/octet-stream', 'content-length': '1024' };
await sequential(o.warmup, (i) => call('PUT', url(`warm/${i}`), { body: kib, headers }));
result.small.put = await sequential(o.small,
  (i) => call('PUT', url(`small/${i}`), { body: kib, headers }));
const written = result.small.put.ops;
result.small.get = await sequential(o.small, async (i) => {
  const r = await call('GET', url(`small/${i % written}`));
  if (r.bytes !== 1024) throw new Error(`GET small/${i % written}: ${r.bytes} bytes`);
});

if (o.largeMib > 0) {
  const total = o.largeMib * 1024 * 1024;
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; ++i) chunk[i] = (i * 131) & 0xff;
  let t = now();
  await call('PUT', url('large/object.bin'), {
    body: streamed(chunk, total),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(total) },
  });
  let seconds = (now() - t) / 1000;
  result.large.put = { seconds: +seconds.toFixed(3), mbPerSecond: +(total / 1e6 / seconds).toFixed(1),
    mibPerSecond: +(o.largeMib / seconds).toFixed(1) };
  t = now();
  const r = await call('GET', url('large/object.bin'), { keep: false });
  seconds = (now() - t) / 1000;
  if (r.bytes !== total) throw new Error(`GET large/object.bin: ${r.bytes} of ${total} bytes`);
  result.large.get = { seconds: +seconds.toFixed(3), mbPerSecond: +(total / 1e6 / seconds).toFixed(1),
    mibPerSecond: +(o.largeMib / seconds).toFixed(1) };
}

console.log(JSON.stringify(result));
via.destroy();
