// SQS benchmark, one keep-alive client (bench/lean_http.mjs) speaking the query protocol as form
// POSTs, against any SQS endpoint (Fogbank, sqslite): SendMessageBatch and
// ReceiveMessage+DeleteMessageBatch messages per second, single SendMessage per call, the
// send-to-receive latency of a waiting long poll, and per-call latency as one queue deepens to
// 100,000 messages. Prints one JSON document.
//   node sqs_bench.mjs --endpoint http://localhost:PORT [--messages 10000] [--depth-max 100000]
//                      [--delete batch|single] [--host localhost:PORT]
// --host sets the Host header (sqslite builds queue URLs from it and only understands
// http://localhost:PORT/queues/NAME) while the connection still goes to --endpoint.
// --delete single deletes with one DeleteMessage per distinct receipt handle instead of
// DeleteMessageBatch: sqslite 2.1.1's DeleteMessageBatch deletes every message *except* the
// batch's, and it gives all messages of one receive the same handle.
import { agent, now, options, percentiles, request } from './lean_http.mjs';

const o = options({
  endpoint: '', messages: 10000, singles: 2000, longPolls: 200, depthMax: 100000,
  depthSamples: 300, capSeconds: 120, prefix: 'bench', delete: 'batch',
  host: '',
});
if (!o.endpoint) throw new Error('--endpoint http://localhost:PORT is required');

const main = agent();
const waiter = agent();  // the long poll's own connection
const body = 'x'.repeat(100);

async function call(params, via = main) {
  const form = new URLSearchParams({ ...params, Version: '2012-11-05' }).toString();
  const r = await request(`${o.endpoint}/`, {
    method: 'POST', via, body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(form)), ...(o.host ? { host: o.host } : {}) },
  });
  const text = r.body.toString();
  if (r.status !== 200) throw new Error(`${params.Action}: HTTP ${r.status} ${text.slice(0, 300)}`);
  return text;
}
const all = (text, tag) => [...text.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))]
  .map((m) => m[1]);

async function createQueue(name) {
  return all(await call({ Action: 'CreateQueue', QueueName: `${o.prefix}-${name}` }),
    'QueueUrl')[0];
}
function batchParams(QueueUrl, from, n) {
  const p = { Action: 'SendMessageBatch', QueueUrl };
  for (let i = 1; i <= n; ++i) {
    p[`SendMessageBatchRequestEntry.${i}.Id`] = `m${from + i}`;
    p[`SendMessageBatchRequestEntry.${i}.MessageBody`] = body;
  }
  return p;
}
async function receive(QueueUrl, max, extra = {}, via = main) {
  const text = await call({ Action: 'ReceiveMessage', QueueUrl, MaxNumberOfMessages: String(max),
    ...extra }, via);
  return all(text, 'ReceiptHandle');
}
async function deleteBatch(QueueUrl, handles) {
  if (o.delete === 'single') {
    for (const ReceiptHandle of new Set(handles))
      await call({ Action: 'DeleteMessage', QueueUrl, ReceiptHandle });
    return;
  }
  const p = { Action: 'DeleteMessageBatch', QueueUrl };
  handles.forEach((h, i) => {
    p[`DeleteMessageBatchRequestEntry.${i + 1}.Id`] = `d${i}`;
    p[`DeleteMessageBatchRequestEntry.${i + 1}.ReceiptHandle`] = h;
  });
  return call(p);
}
const deadline = () => now() + o.capSeconds * 1000;
const rate = (n, ms) => Math.round(n / (ms / 1000));

const result = { endpoint: o.endpoint };

// SendMessageBatch, ten at a time.
{
  const url = await createQueue('throughput');
  const latencies = [];
  const start = now();
  const end = deadline();
  let sent = 0;
  while (sent < o.messages && now() < end) {
    const t = now();
    await call(batchParams(url, sent, 10));
    latencies.push(now() - t);
    sent += 10;
  }
  result.sendBatch = { messages: sent, perSecond: rate(sent, now() - start),
    callMs: percentiles(latencies) };

  // ReceiveMessage (10) + DeleteMessageBatch until the queue is empty.
  const receives = [];
  const deletes = [];
  const began = now();
  const stop = deadline();
  let got = 0;
  while (got < sent && now() < stop) {
    let t = now();
    const handles = await receive(url, 10);
    receives.push(now() - t);
    if (!handles.length) break;
    t = now();
    await deleteBatch(url, handles);
    deletes.push(now() - t);
    got += handles.length;
  }
  result.receiveDelete = { messages: got, delete: o.delete, perSecond: rate(got, now() - began),
    receiveMs: percentiles(receives), deleteBatchMs: percentiles(deletes) };
}

// One SendMessage per call: the per-call cost.
{
  const url = await createQueue('singles');
  const latencies = [];
  const end = deadline();
  for (let i = 0; i < o.singles && now() < end; ++i) {
    const t = now();
    await call({ Action: 'SendMessage', QueueUrl: url, MessageBody: body });
    latencies.push(now() - t);
  }
  result.sendMessage = { callMs: percentiles(latencies) };
}

// A receive already waiting (20 s long poll, its own connection) when the send goes out: time
// from the send's start to the waiting receive's answer.
{
  const url = await createQueue('longpoll');
  const latencies = [];
  let unsupported = false;
  const end = deadline();
  for (let i = 0; i < o.longPolls && now() < end && !unsupported; ++i) {
    let answered = 0;
    const waiting = receive(url, 1, { WaitTimeSeconds: '20' }, waiter).then((handles) => {
      answered = now();
      return handles;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (answered) {  // returned at once on an empty queue: the server does not long-poll
      unsupported = true;
      break;
    }
    const t = now();
    await call({ Action: 'SendMessage', QueueUrl: url, MessageBody: body });
    const handles = await waiting;
    latencies.push(answered - t);
    if (handles.length) await deleteBatch(url, handles);
  }
  result.longPoll = unsupported ? { supported: false } : { sendToReceiveMs: percentiles(latencies) };
}

// Per-call latency of SendMessage and ReceiveMessage (one message, left in flight) as the queue
// deepens: flat is the target.
{
  const url = await createQueue('depth');
  result.depth = [];
  let depth = 0;
  for (const target of [0, 1000, 10000, 50000, 100000].filter((d) => d <= o.depthMax)) {
    const end = deadline();
    const fillStart = now();
    while (depth < target && now() < end) {
      await call(batchParams(url, depth, 10));
      depth += 10;
    }
    const fillSeconds = (now() - fillStart) / 1000;
    if (depth < target) {
      result.depth.push({ target, reached: depth, capped: true });
      break;
    }
    const sends = [];
    const receives = [];
    for (let i = 0; i < o.depthSamples && now() < end; ++i) {
      let t = now();
      await call({ Action: 'SendMessage', QueueUrl: url, MessageBody: body });
      sends.push(now() - t);
      t = now();
      await receive(url, 1, { VisibilityTimeout: '3600' });
      receives.push(now() - t);
    }
    result.depth.push({ depth, fillSeconds: +fillSeconds.toFixed(1),
      sendMs: percentiles(sends), receiveMs: percentiles(receives) });
  }
}

console.log(JSON.stringify(result));
main.destroy();
waiter.destroy();
