"""Shared harness for the real-AWS-client tests (AWS CLI v1/v2, boto3).

Starts the real cortado-server binary on 127.0.0.1:0 ports with a fresh
temporary SQLite data dir, reads `http=HOST:PORT` back from its --ready-file
(polling with a deadline, never sleeping a fixed time), and runs the AWS
clients against it with a clean environment: dummy credentials, region
us-east-1, HOME in a temp dir (no user config leaks in), one HTTP attempt
(no retries hiding gateway errors).

With CORTADO_TEST_STORAGE=postgres every server keeps its queues on
PostgreSQL instead: one private PostgreSQL server per test process (initdb
in a temp dir, as user `postgres` when run as root, as
tests/testing/postgres_process.h does), one schema per cortado-server.

The server binary comes from $CORTADO_SERVER_BINARY (CMake passes
$<TARGET_FILE:cortado-server>). Clients are never skipped: a missing client
is a failed test with a message saying how to install it.

Run a test file directly: `python3 cli_actions_test.py [TestClass ...]`;
the last line printed is "N passed, M failed".
"""

import atexit
import base64
import glob
import pwd
import socket
import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest

# --- environment -----------------------------------------------------------

_ORIGINAL_HOME = os.environ.get("HOME", "/root")
_SCRATCH = tempfile.mkdtemp(prefix="cortado-clients-")
_HOME = os.path.join(_SCRATCH, "home")
os.makedirs(_HOME, exist_ok=True)

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"

# CLI exit codes for a service error (CLI v2: 254; older v1 releases: 255).
CLI_SERVICE_ERROR_CODES = (254, 255)


def client_environment(access_key="test", secret_key="test"):
    """The environment every AWS client runs in (also applied to this process
    so that boto3 sees it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k not in ("PYTHONPATH",)
    }
    env.update({
        "HOME": _HOME,
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.path.join(_HOME, "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(_HOME, "no-aws-credentials"),
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    # pyenv shims find their root through $HOME unless PYENV_ROOT is set.
    if "PYENV_ROOT" not in env and os.path.isdir(
            os.path.join(_ORIGINAL_HOME, ".pyenv")):
        env["PYENV_ROOT"] = os.path.join(_ORIGINAL_HOME, ".pyenv")
    return env


_environment = client_environment()
os.environ.clear()
os.environ.update(_environment)

# --- the server -------------------------------------------------------------


def server_binary():
    binary = os.environ.get("CORTADO_SERVER_BINARY")
    if not binary:
        raise AssertionError(
            "CORTADO_SERVER_BINARY is not set (ctest sets it to "
            "$<TARGET_FILE:cortado-server>)")
    if not os.access(binary, os.X_OK):
        raise AssertionError(f"server binary {binary} is not executable")
    return binary


_postgres = {}


def _run_postgres_tool(bin_dir, *args):
    argv = [os.path.join(bin_dir, args[0]), *args[1:]]
    if os.geteuid() == 0:
        argv = ["/sbin/runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.STDOUT, timeout=90)


def postgres_url():
    """The URL of this process's private PostgreSQL server (started on
    first use, stopped at exit)."""
    if "url" in _postgres:
        return _postgres["url"]
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                  key=lambda p: (len(p), p))
    if not bins:
        raise AssertionError("no /usr/lib/postgresql/*/bin/pg_ctl: install "
                             "the postgresql package (scripts/install-deps.sh)")
    bin_dir = os.path.dirname(bins[-1])
    # Under /tmp: the postgres user must reach it, and the socket path must
    # stay short.
    directory = tempfile.mkdtemp(prefix="cortado-pg-", dir="/tmp")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(directory, user.pw_uid, user.pw_gid)
    data = os.path.join(directory, "data")
    _run_postgres_tool(bin_dir, "initdb", "-D", data, "-U", "postgres",
                       "--auth=trust", "--encoding=UTF8", "--no-locale", "-N")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _run_postgres_tool(
        bin_dir, "pg_ctl", "start", "-w", "-t", "60", "-D", data, "-l",
        os.path.join(directory, "server.log"), "-o",
        f"-p {port} -c listen_addresses=127.0.0.1 -k {directory} "
        "-c fsync=off -c max_connections=40")
    atexit.register(lambda: (_run_postgres_tool(
        bin_dir, "pg_ctl", "stop", "-w", "-D", data, "-m", "immediate"),
                             shutil.rmtree(directory, ignore_errors=True)))
    _postgres["url"] = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    return _postgres["url"]


def storage_args(server_dir):
    """--storage flags: SQLite in the server's dir, or (with
    CORTADO_TEST_STORAGE=postgres) a PostgreSQL schema named after it."""
    if os.environ.get("CORTADO_TEST_STORAGE", "sqlite") != "postgres":
        return ["--storage=sqlite",
                f"--data-dir={os.path.join(server_dir, 'data')}"]
    return ["--storage=postgres", f"--database-url={postgres_url()}",
            f"--database-schema={os.path.basename(server_dir)}",
            f"--data-dir={os.path.join(server_dir, 'data')}"]


class Server:
    """One real cortado-server process on 127.0.0.1:0 ports."""

    def __init__(self, extra_args=(), start_timeout=20.0):
        self.dir = tempfile.mkdtemp(prefix="server-", dir=_SCRATCH)
        self.ready_file = os.path.join(self.dir, "ready")
        self.log_path = os.path.join(self.dir, "server.log")
        args = [
            server_binary(),
            *storage_args(self.dir),
            "--grpc-addr=127.0.0.1:0",
            "--http-addr=127.0.0.1:0",
            f"--ready-file={self.ready_file}",
            *extra_args,
        ]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self.http_address = self._wait_ready(start_timeout)
        host, _, port = self.http_address.rpartition(":")
        if port in ("", "0"):
            self.stop()
            raise AssertionError(
                f"ready file names http={self.http_address}: the server did "
                "not report the HTTP port it bound")
        self.port = int(port)
        self.endpoint = f"http://{self.http_address}"

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"cortado-server exited with {self.process.returncode} "
                    f"before it was ready; log:\n{self.log()}")
            try:
                with open(self.ready_file) as f:
                    fields = dict(
                        line.split("=", 1) for line in f.read().splitlines()
                        if "=" in line)
                if "http" in fields:
                    return fields["http"]
            except FileNotFoundError:
                pass
            time.sleep(0.02)  # polling interval, bounded by the deadline
        self.stop()
        raise AssertionError(
            f"cortado-server not ready after {timeout}s; log:\n{self.log()}")

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return "(no log)"

    def stop(self, timeout=30.0):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def queue_url(self, name):
        return f"{self.endpoint}/{ACCOUNT_ID}/{name}"


# --- the AWS CLIs -----------------------------------------------------------


def _cli_version(path):
    out = subprocess.run([path, "--version"], capture_output=True, text=True,
                         env=client_environment(), timeout=60)
    return (out.stdout + out.stderr).strip()


def find_cli(major):
    """Path of AWS CLI v1 (`aws` first on PATH, pyenv) or v2 (/usr/bin/aws,
    Debian package awscli). Env overrides: CORTADO_AWS_CLI_V1/_V2."""
    override = os.environ.get(f"CORTADO_AWS_CLI_V{major}")
    candidates = [override] if override else (
        [shutil.which("aws")] if major == 1 else ["/usr/bin/aws",
                                                   shutil.which("aws")])
    for path in candidates:
        if path and os.access(path, os.X_OK):
            version = _cli_version(path)
            if version.startswith(f"aws-cli/{major}."):
                return path, version
    hint = ("the pyenv Python's awscli 1.x (`aws` first on PATH)" if major == 1
            else "Debian package awscli (scripts/install-deps.sh)")
    raise AssertionError(f"AWS CLI v{major} not found: install {hint}")


class CliResult:

    def __init__(self, args, completed):
        self.args = args
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    def json(self):
        text = self.stdout.strip()
        return json.loads(text) if text else {}

    def __repr__(self):
        return (f"aws {' '.join(self.args)}\n  rc={self.returncode}\n"
                f"  stdout={self.stdout[-2000:]!r}\n"
                f"  stderr={self.stderr[-2000:]!r}")


class ServerPerClass:
    """A unittest mixin: one Server for the class (`cls.server`) and, when
    the class sets `major`, that AWS CLI on it (`cls.cli`)."""

    major = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        if cls.major is not None:
            cls.cli = Cli(cls.major, cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


class Cli:
    """Runs one AWS CLI (major version 1 or 2) against a Server."""

    def __init__(self, major, server):
        self.major = major
        self.path, self.version = find_cli(major)
        self.server = server
        self.env = client_environment()

    def run(self, *args, endpoint=True, env=None, timeout=90):
        full = list(args)
        if endpoint:
            full += ["--endpoint-url", self.server.endpoint]
        completed = subprocess.run([self.path, *full], capture_output=True,
                                   text=True, env=env or self.env,
                                   timeout=timeout)
        return CliResult(full, completed)

    def ok(self, *args, **kwargs):
        """Runs and asserts exit code 0; returns the parsed JSON output."""
        result = self.run(*args, **kwargs)
        if result.returncode != 0:
            raise AssertionError(f"CLI v{self.major} failed: {result!r}\n"
                                 f"server log:\n{self.server.log()}")
        try:
            return result.json()
        except ValueError:
            raise AssertionError(f"CLI v{self.major} printed non-JSON: "
                                 f"{result!r}")

    def fails(self, *args, **kwargs):
        """Runs and asserts a service-error exit code; returns the result."""
        result = self.run(*args, **kwargs)
        if result.returncode not in CLI_SERVICE_ERROR_CODES:
            raise AssertionError(
                f"CLI v{self.major}: expected exit code 254/255, got "
                f"{result!r}")
        return result


# --- boto3 ------------------------------------------------------------------


def boto3_client(server, access_key="test", secret_key="test"):
    """A boto3 SQS client for `server` (JSON protocol), no retries."""
    try:
        import boto3
        import botocore.config
    except ImportError as error:  # No PyPI here: never skip, fail loudly.
        raise AssertionError(
            f"boto3 is missing ({error}); it comes preinstalled with the "
            "machine's pyenv Python") from error
    return boto3.client(
        "sqs", endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=botocore.config.Config(retries={"total_max_attempts": 1},
                                      read_timeout=60))


# --- SQS digests (protocol §4) ----------------------------------------------


def md5_of_body(body):
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def md5_of_attributes(attributes):
    """MD5OfMessageAttributes over {name: {DataType, StringValue|BinaryValue}}
    where BinaryValue is raw bytes."""
    digest = hashlib.md5()

    def put(data):
        digest.update(struct.pack(">I", len(data)))
        digest.update(data)

    for name in sorted(attributes, key=lambda n: n.encode("utf-8")):
        value = attributes[name]
        put(name.encode("utf-8"))
        put(value["DataType"].encode("utf-8"))
        if "StringValue" in value:
            digest.update(b"\x01")
            put(value["StringValue"].encode("utf-8"))
        else:
            digest.update(b"\x02")
            binary = value["BinaryValue"]
            put(binary if isinstance(binary, bytes) else binary.encode())
    return digest.hexdigest()


def decoded_attributes(message_attributes):
    """Received CLI attributes (BinaryValue as base64 text) → raw bytes."""
    result = {}
    for name, value in message_attributes.items():
        value = dict(value)
        if "BinaryValue" in value and isinstance(value["BinaryValue"], str):
            value["BinaryValue"] = base64.b64decode(value["BinaryValue"])
        result[name] = value
    return result


def poll_until(condition, timeout, what):
    """Calls condition() until it returns a truthy value or the deadline
    passes; each call is a real request, so no fixed sleeps."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                         f"last value {last!r}")


# --- runner -----------------------------------------------------------------


def main():
    """unittest runner printing a final 'N passed, M failed' line."""
    names = sys.argv[1:]
    loader = unittest.TestLoader()
    module = sys.modules["__main__"]
    suite = (loader.loadTestsFromNames(names, module)
             if names else loader.loadTestsFromModule(module))
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = max(0, result.testsRun - len(result.failures) -
                 len(result.errors) - len(result.skipped))
    if result.skipped:
        # Nothing may be skipped silently: a skip is a failure here.
        failed += len(result.skipped)
    print(f"{passed} passed, {failed} failed")
    shutil.rmtree(_SCRATCH, ignore_errors=True)
    sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
