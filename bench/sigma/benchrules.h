// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Generated web and sshd rules for the Sigma benchmark, as Sigma YAML, and
// the web rules as roughly equivalent rules for SEC (Simple Event Correlator).

#include <QByteArray>

namespace portcullis::bench {

// `count` webserver rules with distinct literals. A quarter of them pair a
// path that occurs in the sample access logs with a status test, so that
// some events pass the prefilter and those rules are evaluated in full.
QByteArray sigmaRules(int count);

// `count` linux/sshd rules of the kinds real sshd rules use: keyword lists,
// `message|startswith` with a `source.ip|cidr` filter, `user.name` with
// `message|contains`, and a common message AND a user name or client
// network. One rule in sixteen names a user or network that occurs in
// openssh_2k.log, so it matches now and then.
QByteArray sshdRules(int count);

// SEC rules with the same literals (Perl regular expressions over the raw
// line), one Single rule each with `action=none`, so SEC only matches.
QByteArray secRules(int count);

} // namespace portcullis::bench
