# Fogbank's Python runtime: the runtime process of one python3* sandbox (bootstrap.py starts it).
# It owns the Lambda Runtime API loop (2018-06-01) on one keep-alive connection, importing the
# handler named by _HANDLER once, and giving handlers the context, logging setup and error shapes
# of AWS's Python runtime (awslambdaric), so code that works here works in Lambda and back.
# It must never: import anything outside the standard library (it runs under whatever python3
# the user has); catch SystemExit or KeyboardInterrupt from user code (sys.exit() in a handler
# ends the sandbox, as in Lambda); write to stdout anything but the user's output and log lines
# in Lambda's format; or do per-invocation work that a warm call can skip.
import time

_FIRST_LINE_CPU = time.process_time()
try:
    _FIRST_LINE_BOOT = time.clock_gettime(time.CLOCK_BOOTTIME)
    with open("/proc/self/schedstat", "rb") as _f:
        _FIRST_LINE_SCHED = _f.read()
except Exception:
    _FIRST_LINE_BOOT = _FIRST_LINE_SCHED = None

import importlib
import json
import logging
import os
import socket
import sys
import traceback

BASE = "/2018-06-01/runtime"
ERROR_LOG_LINE_TERMINATE = "\r"  # keeps a multi-line error one log record, as AWS does
ERROR_LOG_IDENT = "\u00a0"

_request_id = None


def _runtime_start_ms():
    """Process start to first line. /proc/self/stat gives the start in clock ticks (10 ms), so the
    true value lies in [coarse - tick, coarse]; time on and queued for the CPU (schedstat) is a
    fine-grained lower bound, exact unless startup blocked on I/O."""
    try:
        with open("/proc/self/stat", "rb") as f:
            stat = f.read()
        ticks = os.sysconf("SC_CLK_TCK")
        start_ticks = int(stat[stat.rindex(b")") + 2:].split()[19])  # field 22, starttime
        coarse = (_FIRST_LINE_BOOT - start_ticks / ticks) * 1000.0
        on_cpu, queued = _FIRST_LINE_SCHED.split()[:2]
        sched = (int(on_cpu) + int(queued)) / 1e6
        return round(min(max(sched, coarse - 1000.0 / ticks), coarse), 3)
    except Exception:
        return round(_FIRST_LINE_CPU * 1000.0, 3)


class FaultException(Exception):
    def __init__(self, exception_type, msg, trace=None):
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def build_fault_result(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    # The user's frames start at the first one that is not ours.
    for i, frame in enumerate(frames):
        if frame.filename != __file__ and "/bootstrap.py" not in frame.filename:
            frames = frames[i:]
            break
    return make_error(str(value), etype.__name__, traceback.format_list(frames), invoke_id)


def log_error(error_result):
    description = "[ERROR]"
    if error_result.get("errorType"):
        description += " " + error_result["errorType"]
    if error_result.get("errorMessage"):
        if error_result.get("errorType"):
            description += ":"
        description += " " + error_result["errorMessage"]
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append(ERROR_LOG_IDENT * (len(line) - len(stripped)) + stripped)
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


def _json_default(o):
    from decimal import Decimal

    if isinstance(o, Decimal):  # what boto3's DynamoDB types hand back
        if o.is_nan():
            return float("nan")
        return int(o) if o == o.to_integral_value() else float(o)
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def to_json(obj):
    return json.dumps(obj, default=_json_default)


# --------------------------------------------------------------------------------------------
# Context, as awslambdaric's LambdaContext.


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _obj_from_dict(cls, d):
    if d is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, d.get(field))
    return obj


# Under Fogbank's debugger the deadline moves on while the debugger holds the handler; Fogbank
# writes where it is now to this file.
_DEADLINE_FILE = os.environ.get("FOGBANK_DEADLINE_FILE") if os.environ.get("FOGBANK_DEBUG") == "1" else None


def _debug_deadline(fallback):
    try:
        with open(_DEADLINE_FILE) as f:
            return int(f.read().strip())
    except Exception:
        return fallback


def _wait_for_debugger():
    """Starts debugpy on FOGBANK_DEBUG_PORT and waits until a debugger (Fogbank's or an IDE) has
    attached and configured its breakpoints, before the handler's module is imported. Returns
    how long that took, in ms: the wait is not part of the cold start."""
    try:
        import debugpy
    except ImportError as e:
        raise FaultException(
            "Runtime.DebuggerUnavailable",
            f"debugpy cannot be imported by {sys.executable}: {e} (on Debian: apt install python3-debugpy)",
        )
    port = int(os.environ["FOGBANK_DEBUG_PORT"])
    # In-process: no adapter process of its own, so the debugger dies with the sandbox.
    debugpy.listen(("127.0.0.1", port), in_process_debug_adapter=True)
    sys.stderr.write(f"Fogbank-Debugger-Listening: 127.0.0.1:{port}\n")
    sys.stderr.flush()
    started = time.perf_counter()
    debugpy.wait_for_client()
    return (time.perf_counter() - started) * 1000.0


def _handler_entry(handler):
    """The file and first body line of the handler, where a stop on entry is set."""
    code = getattr(handler, "__code__", None)
    if code is None:
        return None
    lines = [line for _, _, line in code.co_lines() if line is not None and line > code.co_firstlineno]
    return {"file": os.path.abspath(code.co_filename), "line": min(lines) if lines else code.co_firstlineno}


# The sandbox's environment is fixed at spawn: read it once, not on every invocation.
_LOG_GROUP_NAME = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
_LOG_STREAM_NAME = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
_FUNCTION_NAME = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
_MEMORY_LIMIT_IN_MB = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")  # a str, as in Lambda
_FUNCTION_VERSION = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")


class LambdaContext:
    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn):
        self.aws_request_id = invoke_id
        self.log_group_name = _LOG_GROUP_NAME
        self.log_stream_name = _LOG_STREAM_NAME
        self.function_name = _FUNCTION_NAME
        self.memory_limit_in_mb = _MEMORY_LIMIT_IN_MB
        self.function_version = _FUNCTION_VERSION
        self.invoked_function_arn = invoked_function_arn
        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)
        self.identity = _obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        deadline = _debug_deadline(self._epoch_deadline_time_in_ms) if _DEADLINE_FILE else self._epoch_deadline_time_in_ms
        delta = deadline - int(time.time() * 1000)
        return delta if delta > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},client_context={self.client_context},"
            f"identity={self.identity}])"
        )


def _parse_json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException("Runtime.LambdaContextUnmarshalError", f"Unable to parse {name} JSON: {e}")


# --------------------------------------------------------------------------------------------
# Logging: the root logger gets Lambda's handler and format; its level is left alone (WARNING)
# unless AWS_LAMBDA_LOG_LEVEL says otherwise, as in Lambda.


class LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


def _setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
        "%Y-%m-%dT%H:%M:%S",
    ))
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


# --------------------------------------------------------------------------------------------
# Handler loading, with awslambdaric's error types and messages.


def _get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}")
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                "Runtime.BuiltInModuleConflict",
                f"Cannot use built-in module {modname} as a handler module",
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}")
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException("Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}", trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException("Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'")


# --------------------------------------------------------------------------------------------
# Runtime API client: one keep-alive connection. A request that fails because the server closed
# the idle connection is retried once on a new one; any other failure ends the process.
#
# Why not http.client: importing it pulls in email.parser and ssl, about 25-45 ms of every cold
# start, for a peer whose framing we know (our own Runtime API: Content-Length, no chunking, no
# TLS). AWS's own runtime uses a native client for the same reason.


class RuntimeResponse:
    __slots__ = ("status", "headers")

    def __init__(self, status, headers):
        self.status = status
        self.headers = headers  # lower-cased names


class _Headers(dict):
    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class RuntimeClient:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.sock = None
        self.buffer = b""

    def _connect(self):
        self.sock = socket.create_connection(self.address)  # no timeout: /next long-polls
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def _close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def _read_until(self, marker):
        while True:
            at = self.buffer.find(marker)
            if at >= 0:
                line, self.buffer = self.buffer[:at], self.buffer[at + len(marker):]
                return line
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionResetError("Runtime API closed the connection")
            self.buffer += chunk

    def _read_exactly(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionResetError("Runtime API closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _exchange(self, method, path, body, headers):
        if self.sock is None:
            self._connect()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.address[0]}:{self.address[1]}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None or method == "POST":
            head.append(f"Content-Length: {len(body or b'')}")
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b""))
        lines = self._read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = _Headers()
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if fields.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")
                    break
                data += self._read_exactly(size)
                self._read_until(b"\r\n")
        else:
            data = self._read_exactly(int(fields.get("Content-Length", "0")))
        if fields.get("Connection", "").lower() == "close":
            self._close()
        return RuntimeResponse(status, fields), data

    def request(self, method, path, body=None, headers={}):
        for attempt in (0, 1):
            try:
                return self._exchange(method, path, body, headers)
            except ConnectionError:
                self._close()
                if attempt:
                    raise

    def post(self, path, body, content_type="application/json", error_type=None):
        headers = {"Content-Type": content_type}
        if error_type:
            headers["Lambda-Runtime-Function-Error-Type"] = error_type
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.request("POST", path, body, headers)


def handle(client, request_handler, response, body):
    global _request_id
    headers = response.headers
    invoke_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    _request_id = invoke_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)

    error_result = None
    try:
        context = LambdaContext(
            invoke_id,
            _parse_json_header(headers.get("Lambda-Runtime-Client-Context"), "Client Context"),
            _parse_json_header(headers.get("Lambda-Runtime-Cognito-Identity"), "Cognito Identity"),
            int(headers.get("Lambda-Runtime-Deadline-Ms") or 0),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        )
        content_type = headers.get("Content-Type")
        if content_type is None or content_type.startswith("application/json"):
            try:
                event = json.loads(body)
            except Exception as e:
                raise FaultException("Runtime.UnmarshalError", f"Unable to unmarshal input: {e}")
        else:
            event = body
        result = request_handler(event, context)
        if isinstance(result, bytes):
            payload, result_type = result, "application/unknown"
        else:
            try:
                payload, result_type = to_json(result), "application/json"
            except Exception as e:
                raise FaultException("Runtime.MarshalError", f"Unable to marshal response: {e}")
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:  # never BaseException: SystemExit must end the process
        error_result = build_fault_result(sys.exc_info(), invoke_id)

    path = f"{BASE}/invocation/{invoke_id}"
    if error_result is None:
        client.post(path + "/response", payload, result_type)
    else:
        log_error(error_result)
        client.post(path + "/error", to_json(error_result), error_type=error_result["errorType"])


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # User modules resolve from the task root first; our own folder must not shadow them.
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        sys.path[0] = task_root
    else:
        sys.path.insert(0, task_root)
    client = RuntimeClient(os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"))
    debugger_wait_ms = None
    try:
        _setup_logging()
        if os.environ.get("FOGBANK_DEBUG") == "1":
            debugger_wait_ms = _wait_for_debugger()
        started = time.perf_counter()
        request_handler = _get_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        if isinstance(e, FaultException):
            error_result = make_error(e.msg, e.exception_type, e.trace)
        else:
            error_result = build_fault_result(sys.exc_info())
        log_error(error_result)
        client.post(f"{BASE}/init/error", to_json(error_result), error_type=error_result["errorType"])
        sys.exit(1)
    breakdown = json.dumps({
        "runtimeStartMs": _runtime_start_ms(),
        "handlerLoadMs": round((time.perf_counter() - started) * 1000.0, 3),
    })
    headers = {"Fogbank-Init-Breakdown": breakdown}
    if debugger_wait_ms is not None:
        headers["Fogbank-Debugger-Wait-Ms"] = f"{debugger_wait_ms:.3f}"
        entry = _handler_entry(request_handler)
        if entry:
            headers["Fogbank-Handler-Entry"] = json.dumps(entry)
    next_path = f"{BASE}/invocation/next"
    while True:
        response, body = client.request("GET", next_path, headers=headers)
        headers = {}
        if response.status != 200:
            sys.stderr.write(f"Fogbank bootstrap: /next answered {response.status}: {body!r}\n")
            sys.exit(1)
        handle(client, request_handler, response, body)


if __name__ == "__main__":
    main()
