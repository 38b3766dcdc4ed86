#!/usr/bin/env python3
"""Run one command and print what it cost, as one line of key=value:

    python3 bench/measure.py -- COMMAND [ARG...]
    wall=12.31 user=10.02 sys=1.20 max_rss_kb=27364 write_bytes=918273645 status=0

user/sys/max_rss come from getrusage(RUSAGE_CHILDREN) (the command and
everything it waited for); write_bytes is what the command and its reaped
children caused to be written to storage (/proc/self/io accumulates
children as they are reaped), including SQLite's temporary files wherever
they went. The command's own output goes to its stdout/stderr unchanged.
"""
import os
import resource
import subprocess
import sys
import time


def write_bytes():
    try:
        with open("/proc/self/io") as f:
            for line in f:
                if line.startswith("write_bytes:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def main():
    argv = sys.argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit("usage: measure.py -- COMMAND [ARG...]")
    before_io = write_bytes()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    status = subprocess.call(argv)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after_io = write_bytes()
    print("wall=%.2f user=%.2f sys=%.2f max_rss_kb=%d write_bytes=%d status=%d" % (
        wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
        after.ru_maxrss, after_io - before_io if before_io >= 0 else -1, status),
        file=sys.stderr)
    sys.exit(0 if status == 0 else 1)


if __name__ == "__main__":
    main()
