"""The sandbox that a student's code runs in while it is graded.

:class:`Sandbox` starts ``tools/worker.py`` in a fresh Python (``-I``: no user site, no
``PYTHON*`` variables, no script folder on ``sys.path``) with

- **bubblewrap** (``isolation="bwrap"``, the default on Linux; Debian's package
  ``bubblewrap``): new user, PID, network, IPC and UTS namespaces; an empty, read-only
  root holding only ``/usr`` (and the ``/bin``, ``/lib`` links), a few files of
  ``/etc``, the Python installation, mlkit and this folder: the course directory (so
  ``solutions/``, the gradebook, other students' files), every other copy of a course on
  the machine, the home directory and the instructor's Jupyter and IPython configuration
  do not exist in there; a private, size-limited ``/tmp`` (also ``HOME`` and
  ``IPYTHONDIR``) that is thrown away afterwards; no network at all;
- **no new processes** (a seccomp filter: ``fork``, ``vfork`` and ``clone`` without
  ``CLONE_THREAD`` fail with EPERM), so no fork bomb and nothing that outlives the
  worker; threads still work;
- **resource limits**: address space, CPU time, size of a written file, open files, no
  core dumps; the judge adds the wall-clock limits (per cell) and the output limits
  (per message, in ``tools/wire``).

``isolation="process"`` keeps everything but bubblewrap: a clean environment, a private
temporary folder as ``HOME``/``IPYTHONDIR``/working folder, the seccomp filter and the
limits. It does NOT hide the file system: the student's code can read what the grading
user can read (``solutions/``, the gradebook) and write what it can write. Use it only
where bubblewrap cannot run (macOS, containers without user namespaces), preferably as a
separate user who cannot read the course directory.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools import wire

__all__ = ["Limits", "Sandbox", "SandboxDied", "Timeout", "bwrap_available", "ISOLATIONS"]

TOOLS = Path(__file__).resolve().parent
ISOLATIONS = ("bwrap", "process")


class SandboxDied(Exception):
    """The worker exited, was killed, or broke the protocol."""


class Timeout(Exception):
    """No answer before the deadline."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096      # address space of the worker (RLIMIT_AS)
    cpu_seconds: int = 1800    # CPU time of the whole submission (RLIMIT_CPU)
    file_mb: int = 64          # the largest file it may write, and its whole /tmp
    open_files: int = 256      # RLIMIT_NOFILE


def bwrap_available() -> str | None:
    """Why bubblewrap cannot be used here, or None if it can."""
    if not sys.platform.startswith("linux"):
        return "bubblewrap needs Linux"
    if shutil.which("bwrap") is None:
        return ("bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install "
                "bubblewrap; Fedora: sudo dnf install bubblewrap)")
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"],
                           capture_output=True, text=True)
    if probe.returncode:
        return f"bubblewrap cannot create a sandbox here: {probe.stderr.strip()}"
    return None


def mlkit_mismatch() -> str | None:
    """Why the worker and the judge would not import this process's mlkit, or None.

    They run ``python -I`` (no current folder, no PYTHONPATH on sys.path), so they import
    the mlkit that the environment has installed. When that is another checkout of the
    course (``pip install -e`` run elsewhere), the sandbox, which shows only this mlkit,
    has none, and every test cell that needs it fails."""
    import mlkit

    here = os.path.dirname(os.path.realpath(mlkit.__file__))
    probe = subprocess.run(
        [sys.executable, "-I", "-c",
         "import mlkit, os; print(os.path.dirname(os.path.realpath(mlkit.__file__)))"],
        capture_output=True, text=True, cwd="/")
    there = probe.stdout.strip() if probe.returncode == 0 else None
    if there == here:
        return None
    found = f"is {there}" if there else "has none"
    return (f"this course's mlkit is {here}, but the Python environment's ({sys.executable}) "
            f"{found}: the grader's sandbox would not find it. Install this course into the "
            f"environment: pip install -e {os.path.dirname(here)}")


# --- seccomp: no new processes -----------------------------------------------------------
_ARCH = {  # machine: (AUDIT_ARCH_*, {syscall: number})
    "x86_64": (0xC000003E, {"clone": 56, "fork": 57, "vfork": 58, "clone3": 435}),
    "aarch64": (0xC00000B7, {"clone": 220, "clone3": 435}),
}
_CLONE_THREAD = 0x00010000
_ALLOW, _KILL = 0x7FFF0000, 0x80000000
_EPERM, _ENOSYS = 0x00050000 | 1, 0x00050000 | 38


def seccomp_program() -> bytes | None:
    """A classic-BPF seccomp filter: creating a process fails (EPERM), threads are fine;
    ``clone3`` says ENOSYS so that the C library falls back to ``clone``. None on
    machines whose system call numbers are not listed here."""
    machine = platform.machine()
    if machine not in _ARCH:
        return None
    arch, nr = _ARCH[machine]
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    prog = [(ld, 0, 0, 4),                       # A = arch
            (jeq, 1, 0, arch), (ret, 0, 0, _KILL),
            (ld, 0, 0, 0)]                       # A = syscall number
    if machine == "x86_64":                      # the x32 ABI's numbers
        prog += [(jge, 0, 1, 0x40000000), (ret, 0, 0, _ENOSYS)]
    prog += [(jeq, 0, 1, nr["clone3"]), (ret, 0, 0, _ENOSYS)]
    for name in ("fork", "vfork"):
        if name in nr:
            prog += [(jeq, 0, 1, nr[name]), (ret, 0, 0, _EPERM)]
    prog += [(jeq, 0, 3, nr["clone"]),
             (ld, 0, 0, 16),                     # A = the low 32 bits of the flags
             (jset, 1, 0, _CLONE_THREAD), (ret, 0, 0, _EPERM),
             (ret, 0, 0, _ALLOW)]
    return b"".join(struct.pack("=HBBI", *ins) for ins in prog)


def _install_seccomp(program: bytes) -> None:
    """Apply ``program`` to this process (used in a child, before ``exec``)."""
    libc = ctypes.CDLL(None, use_errno=True)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    fprog = SockFprog(len(program) // 8, program)
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


# --- the sandbox ---------------------------------------------------------------------------
#: What of /etc the worker sees (the dynamic linker's cache, time zone, user names).
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group",
        "nsswitch.conf", "alternatives")


def _system_binds() -> list[str]:
    """bubblewrap arguments for the system part of an otherwise empty root: /usr, the
    /bin, /lib, ... links (or folders) beside it, and a few files of /etc."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in _ETC:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def _visible_paths() -> list[tuple[str, str]]:
    """What the worker needs, as (source, destination) pairs to map read-only: the Python
    installation and virtual environment, mlkit and this folder, under their real paths
    and under the (possibly symlinked) paths this process uses for them."""
    import numpy  # noqa: F401 (its folder is found through sys.path below)

    import mlkit

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(TOOLS),
             os.path.dirname(os.path.dirname(os.path.abspath(sys.executable))),
             os.path.dirname(os.path.realpath(sys.executable)),
             str(Path(mlkit.__file__).parent)}
    paths |= {p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p}
    pairs = set()
    for p in paths:
        if os.path.exists(p):
            real = os.path.realpath(p)
            pairs |= {(real, real), (real, os.path.abspath(p))}
    return sorted(pairs, key=lambda pair: len(pair[1]))


def _environment(home: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": home, "IPYTHONDIR": f"{home}/.ipython",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{home}/.matplotlib",
            "JUPYTER_CONFIG_DIR": f"{home}/.jupyter", "JUPYTER_DATA_DIR": f"{home}/.jupyter",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}


class Sandbox:
    """One worker process holding one student's code; see the module."""

    def __init__(self, isolation: str = "bwrap", limits: Limits = Limits(),
                 start_timeout: float = 60.0):
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS}; got {isolation!r}")
        self.isolation, self.limits = isolation, limits
        self._tmp = tempfile.mkdtemp(prefix="grading-sandbox-")
        self.proc = None
        self._stderr = None
        self.dead: str | None = None
        try:
            self._start(start_timeout)
        except BaseException:
            self.close()
            raise

    def _start(self, start_timeout: float) -> None:
        program = seccomp_program()
        worker = [sys.executable, "-I", str(TOOLS / "worker.py")]
        limits, fds, to_close = self.limits, [], []

        def preexec():  # in the child, before exec
            os.setsid()
            mb = 2**20
            for which, value in [(resource.RLIMIT_AS, limits.memory_mb * mb),
                                 (resource.RLIMIT_FSIZE, limits.file_mb * mb),
                                 (resource.RLIMIT_NOFILE, limits.open_files),
                                 (resource.RLIMIT_CORE, 0)]:
                resource.setrlimit(which, (value, value))
            resource.setrlimit(resource.RLIMIT_CPU,
                               (limits.cpu_seconds, limits.cpu_seconds + 5))
            if self.isolation == "process" and program:
                _install_seccomp(program)

        if self.isolation == "bwrap":
            home = "/tmp/home"
            info_r, info_w = os.pipe()
            to_close += [info_r, info_w]
            # An empty root with only the system, the Python installation, mlkit and the
            # worker's code in it, read-only: nothing else of this machine is visible.
            # (/tmp first: the course, even Python, may live under the machine's /tmp.)
            cmd = ["bwrap", "--tmpfs", "/", *_system_binds(), "--dev", "/dev",
                   "--proc", "/proc", "--size", str(limits.file_mb * 2**20), "--tmpfs", "/tmp"]
            for source, dest in _visible_paths():
                cmd += ["--ro-bind", source, dest]
            cmd += ["--remount-ro", "/"]
            cmd += ["--dir", home, "--chdir", home, "--unshare-all", "--unshare-user",
                    "--disable-userns", "--die-with-parent", "--new-session", "--as-pid-1",
                    "--clearenv", "--info-fd", str(info_w)]
            fds.append(info_w)
            if program:
                seccomp_r, seccomp_w = os.pipe()
                to_close += [seccomp_r]
                os.write(seccomp_w, program)
                os.close(seccomp_w)
                cmd += ["--seccomp", str(seccomp_r)]
                fds.append(seccomp_r)
            for key, value in _environment(home).items():
                cmd += ["--setenv", key, value]
            cmd += ["--", *worker]
            env, cwd = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, "/"
        else:
            home = self._tmp
            cmd, env, cwd = worker, _environment(home), home
        try:
            self._stderr = open(os.path.join(self._tmp, "stderr"), "w+b")  # noqa: SIM115
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._stderr, env=env, cwd=cwd,
                                         pass_fds=fds, preexec_fn=preexec)
        finally:
            for fd in fds:
                os.close(fd)
        self.pid = self.proc.pid
        if self.isolation == "bwrap":
            info = self._read_info(info_r, time.monotonic() + start_timeout)
            os.close(info_r)
            self.pid = info["child-pid"]
        self.fd_in, self.fd_out = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        hello = self.receive(time.monotonic() + start_timeout)
        if hello.get("op") != "ready":
            raise SandboxDied("the worker did not start")

    def _read_info(self, fd: int, deadline: float) -> dict:
        data = b""
        while not data.rstrip().endswith(b"}"):
            if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise SandboxDied("bubblewrap did not start the worker")
            chunk = os.read(fd, 4096)
            if not chunk:
                code = self.proc.wait()
                self._stderr.seek(0)
                why = self._stderr.read(2000).decode(errors="replace").strip()
                raise SandboxDied(f"bubblewrap failed (exit code {code}): {why}")
            data += chunk
        return json.loads(data)

    # --- messages -------------------------------------------------------------------------
    def send(self, message: dict) -> None:
        if self.dead:
            raise SandboxDied(self.dead)
        try:
            wire.send(self.fd_in, message)
        except (BrokenPipeError, OSError) as err:
            raise self._died(f"the worker stopped ({err})") from None

    def receive(self, deadline: float) -> dict:
        """The next message; :class:`Timeout` at ``deadline`` (``time.monotonic()``)."""
        if self.dead:
            raise SandboxDied(self.dead)
        try:
            return wire.receive(self.fd_out, deadline)
        except wire.ChannelTimeout:
            raise Timeout() from None
        except wire.ProtocolError as err:
            raise self._died(str(err)) from None

    def _died(self, why: str) -> SandboxDied:
        code = None
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        if code in (-signal.SIGKILL, 128 + signal.SIGKILL):
            why = "it was killed: out of memory or CPU time"
        elif code is not None and code < 0:
            why = f"it was killed by {signal.Signals(-code).name}"
        elif code is not None and code > 128 and code - 128 in signal.valid_signals():
            why = f"it was killed by {signal.Signals(code - 128).name}"
        elif code is not None:
            why = f"it exited with code {code}"
        self.dead = why
        return SandboxDied(why)

    def interrupt(self) -> None:
        """Send SIGINT (KeyboardInterrupt) to the worker."""
        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        if self.proc is None:
            return
        for pid in {self.pid, self.proc.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                wire.send(self.fd_in, {"op": "exit"})
                self.proc.wait(timeout=2)
            except (OSError, wire.ProtocolError, subprocess.TimeoutExpired):
                pass
        self.kill()
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        if self._stderr is not None:
            self._stderr.close()
        shutil.rmtree(self._tmp, ignore_errors=True)
        self.dead = self.dead or "closed"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
