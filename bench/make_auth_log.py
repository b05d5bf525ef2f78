#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a large syslog auth log by repeating one, each copy moved later in time.

Every copy is shifted forward by the source file's time span plus one minute,
so the output stays in time order. Lines whose syslog timestamp cannot be
read are copied unchanged. The year needed for the arithmetic is --year; the
output, like the input, has no year.
"""

import argparse
import datetime
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def parse_stamp(line, year):
    """Return the datetime of an RFC 3164 'Mmm dd hh:mm:ss ' prefix, or None."""
    if len(line) < 16 or line[15:16] != b" ":
        return None
    try:
        month = MONTHS.index(line[0:3].decode("ascii")) + 1
        day = int(line[4:6])
        hour, minute, second = (int(part) for part in line[7:15].split(b":"))
        return datetime.datetime(year, month, day, hour, minute, second)
    except (ValueError, UnicodeDecodeError):
        return None


def format_stamp(moment):
    return f"{MONTHS[moment.month - 1]} {moment.day:>2} {moment:%H:%M:%S}".encode("ascii")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", help="syslog file to repeat, such as openssh_2k.log")
    parser.add_argument("output", help="file to write")
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines to write (default 1000000)")
    parser.add_argument("--year", type=int, default=2015, help="year of the source's first line")
    args = parser.parse_args()

    with open(args.source, "rb") as source:
        lines = source.read().splitlines()
    stamps = [parse_stamp(line, args.year) for line in lines]
    known = [stamp for stamp in stamps if stamp is not None]
    if not known:
        sys.exit(f"{args.source}: no line starts with a syslog timestamp such as 'Dec 10 06:55:46'")
    shift = max(known) - min(known) + datetime.timedelta(minutes=1)

    written = 0
    copy = 0
    with open(args.output, "wb") as output:
        while written < args.lines:
            offset = shift * copy
            for line, stamp in zip(lines, stamps):
                if written == args.lines:
                    break
                if stamp is not None:
                    line = format_stamp(stamp + offset) + line[15:]
                output.write(line + b"\n")
                written += 1
            copy += 1
    print(f"{args.output}: {written} lines, {copy} copies of {args.source}, each {shift} later")


if __name__ == "__main__":
    main()
