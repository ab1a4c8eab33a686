// Fogbank's Node.js bootstrap: the runtime process of one nodejs* sandbox.
// It owns the Lambda Runtime API loop (2018-06-01) on one keep-alive connection, loading the
// handler named by _HANDLER once, and giving handlers the context, console format, callback and
// error semantics of AWS's Node.js runtime (aws-lambda-nodejs-runtime-interface-client), so code
// that works here works in Lambda and the other way round.
// It must never: use anything outside Node's standard library; write to stdout anything but log
// lines in Lambda's format (stdout is the function's log stream); catch process.exit or keep a
// sandbox alive after an uncaught exception; or do per-invocation work that a warm call can skip.
'use strict';
const runtimeStartMs = performance.now(); // ms since this process started

const fs = require('fs');
const http = require('http');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const API = process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001';
const HOST = API.slice(0, API.lastIndexOf(':'));
const PORT = Number(API.slice(API.lastIndexOf(':') + 1));
const BASE = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
// Where AWS's runtime publishes the current request id, for code that reads it from there.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');

// Names carry the "Runtime." prefix on the prototype, as in AWS's runtime, so that error.stack
// starts with the same text.
const runtimeError = (name) => {
  const C = class extends Error {};
  C.prototype.name = `Runtime.${name}`;
  return C;
};
const ImportModuleError = runtimeError('ImportModuleError');
const HandlerNotFound = runtimeError('HandlerNotFound');
const MalformedHandlerName = runtimeError('MalformedHandlerName');
const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
const UnhandledPromiseRejection = runtimeError('UnhandledPromiseRejection');
const NodeJsExit = runtimeError('NodeJsExit');

let requestId; // "undefined" in init-phase log lines, exactly as in Lambda
let lastInvokeId = null; // uncaught errors are reported against it, or as init errors before any
let beforeExit = null; // what to do when the user's code leaves the event loop empty

// ---------------------------------------------------------------------------------------------
// Logging: `ISO\tREQUEST_ID\tLEVEL\tmessage`, one line per call. Newlines become \r as AWS does,
// so a multi-line message stays one log record.
const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const minLevel = LEVELS[String(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] || 1;
function logger(level) {
  if (LEVELS[level] < minLevel) return () => {};
  return (message, ...params) => {
    const line = `${new Date().toISOString()}\t${requestId}\t${level}\t${util.format(message, ...params)}`;
    process.stdout.write(line.replace(/\n/g, '\r') + '\n'); // synchronous for pipes and files
  };
}
const logError = logger('ERROR');
console.trace = logger('TRACE');
console.debug = logger('DEBUG');
console.info = console.log = logger('INFO');
console.warn = logger('WARN');
console.error = logError;
console.fatal = logger('FATAL');

// ---------------------------------------------------------------------------------------------
// Error shapes, as AWS's Errors.js: the response body has `trace` (all stack lines), the log line
// a JSON dump of the error with its own enumerable properties.
function isErrorLike(e) {
  return util.types.isNativeError(e) ||
    (!!e && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string' &&
     e.name !== '' && e.message !== '' && e.stack !== '');
}
function toRapid(e) {
  try {
    if (isErrorLike(e)) {
      return {
        errorType: e.name || (e.constructor && e.constructor.name) || 'Error',
        errorMessage: e.message,
        trace: typeof e.stack === 'string' ? e.stack.split('\n') : [],
      };
    }
    return { errorType: typeof e, errorMessage: String(e), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}
function toFormatted(e) {
  try {
    return '\t' + JSON.stringify(e, (_k, v) => {
      if (!(v instanceof Error)) return v;
      const out = Object.assign({ errorType: v.name, errorMessage: v.message, code: v.code }, v);
      if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
      return out;
    });
  } catch (_) {
    return '\t' + JSON.stringify(toRapid(e));
  }
}
const intoError = (e) => (e instanceof Error ? e : new Error(e));

// ---------------------------------------------------------------------------------------------
// Runtime API client. A request that fails because the kept-alive connection was closed under it
// is retried once on a new one (req.reusedSocket cannot tell: a request queued for the busy
// socket is not flagged); any other failure means the engine is gone.
function call(method, urlPath, body, headers, onDone, standalone, retried) {
  const req = http.request(
    { host: HOST, port: PORT, method, path: urlPath, headers, agent: standalone ? false : agent },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => onDone(res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    });
  req.on('error', (err) => {
    if (!retried && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
      call(method, urlPath, body, headers, onDone, standalone, true);
    } else {
      process.stderr.write(`Fogbank bootstrap: runtime API ${method} ${urlPath} failed: ${err.message}\n`);
      process.exit(1);
    }
  });
  req.end(body);
}
function post(urlPath, body, extraHeaders, onDone, standalone) {
  const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  call('POST', urlPath, body, headers, onDone, standalone);
}
function postError(urlPath, err, onDone, standalone) {
  const rapid = toRapid(err);
  post(urlPath, JSON.stringify(rapid), { 'Lambda-Runtime-Function-Error-Type': rapid.errorType }, onDone, standalone);
}

// Uncaught errors end the sandbox as in Lambda (exit 129 for exceptions, 128 for rejections).
// They use a connection of their own: the shared one may be busy with a long-polling /next.
let dying = false;
function die(err, code) {
  if (dying) return;
  dying = true;
  setTimeout(() => process.exit(code), 2000).unref();
  const urlPath = lastInvokeId === null
    ? `${BASE}/init/error`
    : `${BASE}/invocation/${encodeURIComponent(lastInvokeId)}/error`;
  postError(urlPath, err, () => process.exit(code), true);
}
function onUncaughtException(err) {
  logError('Uncaught Exception', toFormatted(intoError(err)));
  die(err, 129);
}
process.on('uncaughtException', onUncaughtException);
process.on('unhandledRejection', (reason) => {
  const err = new UnhandledPromiseRejection(reason);
  err.reason = reason;
  logError('Unhandled Promise Rejection', toFormatted(err));
  die(err, 128);
});
process.on('beforeExit', () => {
  const f = beforeExit;
  beforeExit = null;
  if (f) f();
});

// ---------------------------------------------------------------------------------------------
// Handler loading, in the order AWS's UserFunction.js tries files.
function hasTypeModule(dir) {
  if (dir.endsWith('/node_modules')) return false;
  const pj = path.join(dir, 'package.json');
  if (fs.existsSync(pj)) {
    try {
      return JSON.parse(fs.readFileSync(pj, 'utf8')).type === 'module';
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  return dir === path.dirname(dir) ? false : hasTypeModule(path.dirname(dir));
}
const importFile = (file) => import(pathToFileURL(file).href);
function requireFile(file) {
  try {
    return require(file);
  } catch (e) {
    if (e && e.code === 'ERR_REQUIRE_ESM') return importFile(file);
    throw e;
  }
}
async function loadModule(root, moduleRoot, mod) {
  const base = path.resolve(root, moduleRoot, mod);
  if (fs.existsSync(base)) return requireFile(base);
  const esm = hasTypeModule(path.dirname(base));
  if (fs.existsSync(base + '.js')) return esm ? importFile(base + '.js') : requireFile(base + '.js');
  if (fs.existsSync(base + '.mjs')) return importFile(base + '.mjs');
  if (fs.existsSync(base + '.cjs')) return require(base + '.cjs');
  return require(require.resolve(mod, { paths: [root, moduleRoot] }));
}
async function loadHandler(root, full) {
  if (full.includes('..')) {
    throw new MalformedHandlerName(`'${full}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const file = path.basename(full);
  const moduleRoot = full.substring(0, full.indexOf(file));
  const match = file.match(/^([^.]*)\.(.*)$/);
  if (!match) throw new MalformedHandlerName('Bad handler');
  let app;
  try {
    app = await loadModule(root, moduleRoot, match[1]);
  } catch (e) {
    if (e instanceof SyntaxError) {
      const err = new UserCodeSyntaxError(String(e));
      err.stack = e.stack; // points at the user's file and line, which AWS's own stack does not
      throw err;
    }
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) throw new ImportModuleError(String(e));
    throw e;
  }
  const fn = match[2].split('.').reduce((o, k) => o && o[k], app);
  if (!fn) throw new HandlerNotFound(`${full} is undefined or not exported`);
  if (typeof fn !== 'function') throw new HandlerNotFound(`${full} is not a function`);
  return fn;
}

// ---------------------------------------------------------------------------------------------
// The invoke loop.
let handler;
let handlerIsAsync = false;
// The sandbox's environment is fixed at spawn; reading process.env costs on every call.
const FUNCTION_VERSION = process.env.AWS_LAMBDA_FUNCTION_VERSION;
const FUNCTION_NAME = process.env.AWS_LAMBDA_FUNCTION_NAME;
const MEMORY_LIMIT_IN_MB = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const LOG_GROUP_NAME = process.env.AWS_LAMBDA_LOG_GROUP_NAME;
const LOG_STREAM_NAME = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
// Under Fogbank's debugger (a sandbox started with --inspect): the deadline moves on while the
// debugger holds the handler, and Fogbank writes where it is now to this file.
const DEBUG = process.env.FOGBANK_DEBUG === '1';
const DEADLINE_FILE = process.env.FOGBANK_DEADLINE_FILE;
function debugDeadline(fallback) {
  try {
    return Number(fs.readFileSync(DEADLINE_FILE, 'utf8')) || fallback;
  } catch (_) {
    return fallback;
  }
}

function next(headers) {
  call('GET', `${BASE}/invocation/next`, undefined, headers, onNext);
}

function parseHeaderJson(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

function onNext(res, body) {
  if (res.statusCode !== 200) {
    process.stderr.write(`Fogbank bootstrap: /next answered ${res.statusCode}: ${body}\n`);
    process.exit(1);
  }
  const h = res.headers;
  const id = h['lambda-runtime-aws-request-id'];
  requestId = id;
  global[REQUEST_ID] = id;
  lastInvokeId = id;
  const trace = h['lambda-runtime-trace-id'];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;

  const invokePath = `${BASE}/invocation/${encodeURIComponent(id)}`;
  let finished = false; // only the first of callback/done/succeed/fail/promise counts
  let completed = false; // a success was posted (or given up on): never post twice
  let waits = true;

  const reportError = (err) => {
    logError('Invoke Error', toFormatted(intoError(err)));
    postError(`${invokePath}/error`, err, () => next());
  };
  const complete = (result) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    let json;
    try {
      json = JSON.stringify(result === undefined ? null : result);
    } catch (_) {
      reportError(new Error('Unable to stringify response body'));
      return;
    }
    post(`${invokePath}/response`, json, null, () => next());
  };
  const done = (err, result) => {
    if (finished) return;
    finished = true;
    beforeExit = null;
    if (err !== undefined && err !== null) reportError(err);
    else complete(result);
  };
  const callback = (err, result) => {
    if (finished) return;
    if ((err !== undefined && err !== null) || !waits) return done(err, result);
    finished = true;
    // AWS answers a callback only once the event loop has drained, unless told not to wait.
    beforeExit = () => setImmediate(() => complete(result));
  };
  // Reached when the handler neither settled nor called back and nothing else is pending.
  beforeExit = () => {
    finished = true;
    if (handlerIsAsync) {
      completed = true;
      reportError(new NodeJsExit('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes'));
    } else {
      complete(null);
    }
  };

  try {
    const deadline = Number(h['lambda-runtime-deadline-ms']);
    const context = {
      get callbackWaitsForEmptyEventLoop() { return waits; },
      set callbackWaitsForEmptyEventLoop(v) { waits = v; },
      succeed: (result) => done(null, result),
      fail: (err) => done(err === undefined || err === null ? 'handled' : err, null),
      done,
      functionVersion: FUNCTION_VERSION,
      functionName: FUNCTION_NAME,
      memoryLimitInMB: MEMORY_LIMIT_IN_MB,
      logGroupName: LOG_GROUP_NAME,
      logStreamName: LOG_STREAM_NAME,
      clientContext: parseHeaderJson(h['lambda-runtime-client-context'], 'ClientContext'),
      identity: parseHeaderJson(h['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
      invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
      awsRequestId: id,
      getRemainingTimeInMillis: DEBUG && DEADLINE_FILE
        ? () => debugDeadline(deadline) - Date.now()
        : () => deadline - Date.now(),
    };
    const result = handler(JSON.parse(body.toString('utf8')), context, callback);
    if (result && typeof result.then === 'function') {
      result.then(context.succeed, context.fail);
    }
  } catch (err) {
    callback(err);
  }
}

async function main() {
  const t = performance.now();
  handler = await loadHandler(process.env.LAMBDA_TASK_ROOT || process.cwd(), process.env._HANDLER || '');
  handlerIsAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
  const breakdown = {
    runtimeStartMs: Math.round(runtimeStartMs * 1000) / 1000,
    handlerLoadMs: Math.round((performance.now() - t) * 1000) / 1000,
  };
  const headers = { 'Fogbank-Init-Breakdown': JSON.stringify(breakdown) };
  if (DEBUG) {
    // Where Fogbank's debugger finds the handler to stop on its first line.
    globalThis[Symbol.for('fogbank.handler')] = handler;
    // Under --inspect-brk Node waits for the debugger at the end of its own bootstrap, before
    // this script: the wait is not part of the cold start. It cannot be told apart from the last
    // stretch of that bootstrap (some 20 ms), which is left out with it.
    const debuggerWaitMs = Math.max(0, runtimeStartMs - performance.nodeTiming.environment);
    headers['Fogbank-Debugger-Wait-Ms'] = debuggerWaitMs.toFixed(3);
  }
  next(headers);
}

// A failed load is an uncaught exception in AWS's runtime too: same log line, init error, exit.
main().catch(onUncaughtException);
