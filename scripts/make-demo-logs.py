#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the synthetic demo logs in resources/demo/.

The demo must not ship third-party data, so its logs are generated here with
a fixed seed: ordinary traffic of a barbershop booking platform with attacks
mixed in. Addresses come from the documentation ranges of RFC 5737
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and RFC 3849 (2001:db8::/32).
Run it again only to change the demo; the output is committed.
"""
import datetime as dt
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "demo"
START = dt.datetime(2026, 11, 30, 8, 0, 0, tzinfo=dt.timezone.utc)
rng = random.Random(20261130)

STAFF = ["deploy", "maria", "jlopez", "backup", "ops"]
STAFF_IPS = ["192.0.2.10", "192.0.2.11", "192.0.2.25"]
USERS = ["admin", "root", "test", "oracle", "postgres", "ubuntu", "guest", "ftpuser", "git", "pi"]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"


def auth_log():
    lines = []
    pid = 4100

    def add(t, msg, program="sshd"):
        nonlocal pid
        lines.append((t, f"{iso(t)} bb-api-1 {program}[{pid}]: {msg}"))

    # Routine staff logins through the day.
    for i in range(40):
        t = START + dt.timedelta(minutes=rng.randint(0, 600), seconds=rng.randint(0, 59))
        pid += 1
        user = rng.choice(STAFF)
        ip = rng.choice(STAFF_IPS)
        port = rng.randint(40000, 60000)
        add(t, f"Accepted publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:demo{i:02d}")
        add(t + dt.timedelta(minutes=rng.randint(2, 50)),
            f"Disconnected from user {user} {ip} port {port}")

    # A brute force burst from one address.
    t = START + dt.timedelta(hours=2, minutes=13)
    for i in range(37):
        pid += 1
        user = rng.choice(["root", "admin"])
        add(t, f"Failed password for {user} from 203.0.113.45 port {rng.randint(30000, 65000)} ssh2")
        t += dt.timedelta(seconds=rng.randint(3, 9))

    # User enumeration: many names, one attempt each (logged as two lines).
    t = START + dt.timedelta(hours=3, minutes=40)
    for user in USERS:
        pid += 1
        port = rng.randint(30000, 65000)
        add(t, f"Invalid user {user} from 198.51.100.23 port {port}")
        add(t + dt.timedelta(seconds=1),
            f"Failed password for invalid user {user} from 198.51.100.23 port {port} ssh2")
        t += dt.timedelta(seconds=rng.randint(10, 30))

    # Failures, then a success: a likely compromised account.
    t = START + dt.timedelta(hours=5, minutes=2)
    for i in range(6):
        pid += 1
        add(t, f"Failed password for deploy from 2001:db8:85a3::8a2e:370:7334 port {50000 + i} ssh2")
        t += dt.timedelta(seconds=20)
    pid += 1
    add(t, "Accepted password for deploy from 2001:db8:85a3::8a2e:370:7334 port 50100 ssh2")

    # A few isolated typos by staff: must not alert.
    for i in range(3):
        t = START + dt.timedelta(hours=rng.randint(1, 9), minutes=rng.randint(0, 59))
        pid += 1
        add(t, f"Failed password for maria from 192.0.2.11 port {rng.randint(40000, 60000)} ssh2")

    # Cron noise.
    for i in range(20):
        t = START + dt.timedelta(minutes=30 * i)
        pid += 1
        add(t, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", "CRON")

    lines.sort(key=lambda item: item[0])
    return "\n".join(line for _, line in lines) + "\n"


AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
]
PAGES = ["/", "/book", "/shops/fade-factory", "/shops/sharp-edges", "/api/v2/availability",
         "/api/v2/bookings", "/static/app.js", "/static/app.css"]
PROBES = ["/wp-login.php", "/wp-admin/", "/.env", "/.git/config", "/phpmyadmin/index.php",
          "/xmlrpc.php", "/cgi-bin/test.cgi", "/../../etc/passwd", "/admin/config.php"]


def clf(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def access_log():
    lines = []

    def add(t, ip, method, path, status, size, agent, ref="-"):
        lines.append((t, f'{ip} - - [{clf(t)}] "{method} {path} HTTP/1.1" {status} {size} '
                         f'"{ref}" "{agent}"'))

    for i in range(1500):
        t = START + dt.timedelta(seconds=rng.randint(0, 36000))
        ip = f"192.0.2.{rng.randint(30, 250)}"
        path = rng.choice(PAGES)
        add(t, ip, "GET", path, 200, rng.randint(300, 40000), rng.choice(AGENTS))
        if rng.random() < 0.05:
            add(t + dt.timedelta(seconds=2), ip, "POST", "/api/v2/auth/login", 200, 512,
                rng.choice(AGENTS))

    # A scanner walking the usual probe paths.
    t = START + dt.timedelta(hours=4, minutes=5)
    for path in PROBES * 3:
        add(t, "203.0.113.77", "GET", path, 404, 153, "Mozilla/5.0 zgrab/0.x")
        t += dt.timedelta(seconds=rng.randint(1, 4))

    # A distributed login attack: many addresses, one or two tries each.
    t = START + dt.timedelta(hours=6, minutes=30)
    for i in range(60):
        ip = f"198.51.100.{100 + i}"
        for _ in range(rng.choice([1, 1, 1, 2])):
            add(t, ip, "POST", "/api/v2/auth/login", 401, 87, rng.choice(AGENTS))
            t += dt.timedelta(seconds=rng.randint(2, 15))

    lines.sort(key=lambda item: item[0])
    return "\n".join(line for _, line in lines) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "auth.log").write_text(auth_log())
    (OUT / "access.log").write_text(access_log())


if __name__ == "__main__":
    main()
