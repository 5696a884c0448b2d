"""Run one command and record its wall time and peak resident memory (used by benches/run.py).

    python3 -I -S benches/measure.py RESULT.json COMMAND [ARG...]

Forks, execs COMMAND (which inherits stdin, stdout and stderr), waits for it with os.wait4 and
writes {"wall_s": ..., "cpu_s": ..., "maxrss_kib": ..., "exit_code": ...} to RESULT.json (cpu_s:
the processor time, user and system, of the command and its threads). It exits 0 once the
result is written, whatever the command's status.

Why a separate launcher rather than subprocess.Popen + os.wait4 in run.py: on Linux a process
keeps its ru_maxrss across exec, and exec first raises it to the high-water RSS of the memory it
had before. A child started with vfork or posix_spawn (what Popen uses) shares its parent's
memory until exec, so it reports at least the *parent's* peak RSS -- after run.py has generated a
dataset or compared outputs, that is far more than a small bulletin run. A child made with a real
fork() starts from a copy of the parent's current anonymous memory only. This launcher is a bare
interpreter (run it with -I -S, importing nothing before the fork), so that copy, the floor below
which no measurement here can go, is about 5 MiB. run.py measures /bin/true the same way and
prints that floor.
"""

import os
import sys
import time


def find(name: str) -> str:
    """The program's path: as given if it has a slash, else the first match on PATH."""
    if "/" in name:
        return name
    for folder in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep):
        path = os.path.join(folder or ".", name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return name  # execv fails, and says so


def main() -> int:
    if len(sys.argv) < 3:
        sys.stderr.write("usage: measure.py RESULT.json COMMAND [ARG...]\n")
        return 2
    result_path, argv = sys.argv[1], sys.argv[2:]
    program = find(argv[0])
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        # As little Python as possible between fork and exec: every page it writes is copied.
        try:
            os.execv(program, argv)
        except OSError as e:
            os.write(2, f"measure.py: cannot run {argv[0]}: {e}\n".encode())
        os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start

    import json  # only now: anything imported before the fork would raise the floor

    with open(result_path, "w") as f:
        json.dump(
            {
                "wall_s": wall,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "maxrss_kib": usage.ru_maxrss,
                "exit_code": os.waitstatus_to_exitcode(status),
            },
            f,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
