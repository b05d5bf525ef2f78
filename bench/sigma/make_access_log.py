#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build a large access log by repeating real access logs line by line.

Usage: make_access_log.py --lines N OUTPUT INPUT...
The inputs are read in order and repeated until N lines are written; lines
keep their original text, so every tool parses the same content.
"""
import argparse
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines to write")
    parser.add_argument("output")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    source = []
    for path in args.inputs:
        with open(path, "rb") as handle:
            source.extend(line.rstrip(b"\r\n") + b"\n" for line in handle if line.strip())
    if not source:
        sys.exit("make_access_log.py: the inputs hold no lines")
    with open(args.output, "wb") as out:
        for i in range(args.lines):
            out.write(source[i % len(source)])


if __name__ == "__main__":
    main()
