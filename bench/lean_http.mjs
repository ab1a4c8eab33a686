// The lean client the S3 and SQS benchmarks share: node:http over one keep-alive connection
// (maxSockets 1 unless asked), bodies handed over as they are, responses counted and dropped
// unless kept. No SDK in the way, so that what is measured is the server. Also: AWS Signature
// Version 4 by hand (s3rver checks signatures), percentiles, and a timer.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';

export const now = () => Number(process.hrtime.bigint()) / 1e6;  // milliseconds

export function agent(sockets = 1) {
  return new http.Agent({ keepAlive: true, maxSockets: sockets });
}

// One request. `body` is a Buffer, a string, or a function(write) that streams the body and
// resolves when done (for bodies too large to hold). Resolves { status, headers, body?, bytes }.
export function request(url, { method = 'GET', headers = {}, body, keep = true, via } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: via }, (res) => {
      const chunks = [];
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers, bytes,
        body: keep ? Buffer.concat(chunks) : undefined,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof body === 'function') {
      body(req).then(() => req.end(), reject);
    } else {
      req.end(body);
    }
  });
}

// Writes `total` bytes of `chunk` repeated, honouring back-pressure.
export function streamed(chunk, total) {
  return async (req) => {
    for (let sent = 0; sent < total;) {
      const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
      sent += piece.length;
      if (!req.write(piece)) await new Promise((resolve) => req.once('drain', resolve));
    }
  };
}

export function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted.length ? sorted[Math.min(sorted.length - 1,
    Math.floor(p * sorted.length))] : null;
  const round = (v) => v === null ? null : Math.round(v * 1000) / 1000;
  return {
    n: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

// SigV4 headers for an S3 request whose payload is not hashed (UNSIGNED-PAYLOAD), which real
// S3, s3rver and Fogbank all accept: hashing 256 MiB would measure the client.
export function signer({ accessKeyId, secretAccessKey, region = 'us-east-1', service = 's3' }) {
  let day = '';
  let signingKey;
  return (method, url, extraHeaders = {}) => {
    const u = new URL(url);
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    if (amzDate.slice(0, 8) !== day) {
      day = amzDate.slice(0, 8);
      signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service),
        'aws4_request');
    }
    const headers = {
      host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-date': amzDate,
      ...Object.fromEntries(Object.entries(extraHeaders).map(([k, v]) => [k.toLowerCase(), v])),
    };
    const names = Object.keys(headers).sort();
    const query = [...u.searchParams].map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`).join('&');
    const canonical = [method, u.pathname, query,
      ...names.map((n) => `${n}:${String(headers[n]).trim()}`), '', names.join(';'),
      'UNSIGNED-PAYLOAD'].join('\n');
    const scope = `${day}/${region}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
    const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, ` +
      `SignedHeaders=${names.join(';')}, Signature=${signature}`;
    return headers;
  };
}

// Command-line options as --name value pairs over defaults (numbers stay numbers).
export function options(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(name in defaults)) throw new Error(`unknown option ${argv[i]}`);
    out[name] = typeof defaults[name] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return out;
}
