// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchrules.h"

#include <QStringBuilder>

#include <array>

namespace portcullis::bench {

namespace {

// Path fragments that occur in apache_combined_10k.log and
// login_attack_access.log.
constexpr std::array<const char *, 12> commonPaths { "/login_form", "/join_form", "wp-login",
    ".php", "favicon.ico", "robots.txt", "/images/", "/presentations/", "/blog/", "/reset.css",
    "/files/", "xmlrpc" };

QByteArray number(int i)
{
    return QByteArray::number(i);
}

QByteArray sigmaDetection(int i)
{
    const QByteArray n = number(i);
    switch (i % 4) {
    case 0:
        return QByteArray("    selection:\n        cs-uri-query|contains:\n")
               + "            - '/bench-" + n + "/'\n            - '.bak?v=" + n + "'\n"
               + "    condition: selection\n";
    case 1:
        return QByteArray("    selection:\n        c-useragent|contains: 'benchbot/") + n
               + "'\n    filter:\n        sc-status: 404\n"
               + "    condition: selection and not filter\n";
    case 2:
        return QByteArray("    keywords:\n        - 'exploit-") + n + "'\n        - 'payload" + n
               + ".sh'\n    condition: keywords\n";
    default:
        return QByteArray("    selection_path:\n        cs-uri-query|contains: '")
               + QByteArray(commonPaths[(i / 4) % commonPaths.size()])
               + "'\n    selection_status:\n        sc-status: " + number(400 + i % 100)
               + "\n    condition: all of selection_*\n";
    }
}

// Message fragments and user names that occur in openssh_2k.log, and the
// /24 networks of its busiest client addresses.
constexpr std::array<const char *, 6> sshdMessages { "Failed password for",
    "Invalid user", "input_userauth_request: invalid user", "authentication failure",
    "Received disconnect from", "POSSIBLE BREAK-IN ATTEMPT" };
constexpr std::array<const char *, 7> sshdUsers { "admin", "support", "oracle", "test", "user",
    "root", "uucp" };
constexpr std::array<const char *, 5> sshdNetworks { "183.62.140.0/24", "187.141.143.0/24",
    "103.99.0.0/24", "112.95.230.0/24", "5.188.10.0/24" };

QByteArray sshdDetection(int i)
{
    const QByteArray n = number(i);
    switch (i % 4) {
    case 0:
        return QByteArray("    keywords:\n        - 'Corrupted MAC on input ") + n
               + "'\n        - 'Bad packet length " + n + "'\n    condition: keywords\n";
    case 1:
        return QByteArray("    selection:\n        message|startswith: 'Accepted publickey for bench")
               + n + " '\n    filter:\n        source.ip|cidr: '10.0.0.0/8'\n"
               + "    condition: selection and not filter\n";
    case 2:
        return QByteArray("    selection:\n        user.name: 'svc-bench") + n
               + "'\n        message|contains: 'Failed password'\n    condition: selection\n";
    default: {
        // A common message AND a user name or a client network. One in four
        // of these names a common user or a busy network and matches now and
        // then; the others name ones that never occur.
        const int k = i / 4;
        const bool common = k % 4 == 0;
        QByteArray yaml = QByteArray("    selection_message:\n        message|contains: '")
                          + sshdMessages[k % sshdMessages.size()] + "'\n";
        if (k % 2 == 0) {
            const QByteArray user = common ? QByteArray(sshdUsers[(k / 4) % sshdUsers.size()])
                                           : "bench-user-" + n;
            yaml += "    selection_user:\n        user.name: '" + user + "'\n";
        } else {
            const QByteArray network = common
                                           ? QByteArray(sshdNetworks[(k / 4) % sshdNetworks.size()])
                                           : "10." + number(k % 256) + ".0.0/16";
            yaml += "    selection_network:\n        source.ip|cidr: '" + network + "'\n";
        }
        return yaml + "    condition: all of selection_*\n";
    }
    }
}

QByteArray escaped(const char *literal)
{
    QByteArray text;
    for (const char *c = literal; *c; ++c) {
        if (QByteArray("\\^$.|?*+()[]{}/").contains(*c))
            text.append('\\');
        text.append(*c);
    }
    return text;
}

QByteArray secPattern(int i)
{
    const QByteArray n = number(i);
    switch (i % 4) {
    case 0:
        return QByteArray("(?i)\"\\S+ \\S*(?:/bench-") + n + "/|\\.bak\\?v=" + n + ")";
    case 1:
        return QByteArray("(?i)\" (?!404 )\\d+ .*\"[^\"]*benchbot/") + n + "[^\"]*\"$";
    case 2:
        return QByteArray("(?i)exploit-") + n + "|payload" + n + "\\.sh";
    default:
        return QByteArray("(?i)\"\\S+ \\S*") + escaped(commonPaths[(i / 4) % commonPaths.size()])
               + "\\S* [^\"]*\" " + number(400 + i % 100) + " ";
    }
}

} // namespace

QByteArray sigmaRules(int count)
{
    QByteArray yaml;
    for (int i = 0; i < count; ++i) {
        yaml += QByteArray("title: Generated web rule ") + number(i) + "\nid: bench-" + number(i)
                + "\nlogsource:\n    category: webserver\ndetection:\n" + sigmaDetection(i)
                + "level: medium\n---\n";
    }
    return yaml;
}

QByteArray sshdRules(int count)
{
    QByteArray yaml;
    for (int i = 0; i < count; ++i) {
        yaml += QByteArray("title: Generated sshd rule ") + number(i) + "\nid: bench-sshd-"
                + number(i) + "\nlogsource:\n    product: linux\n    service: sshd\ndetection:\n"
                + sshdDetection(i) + "level: medium\n---\n";
    }
    return yaml;
}

QByteArray secRules(int count)
{
    QByteArray rules;
    for (int i = 0; i < count; ++i) {
        rules += QByteArray("type=Single\nptype=RegExp\npattern=") + secPattern(i)
                 + "\ndesc=generated web rule " + number(i) + "\naction=none\n\n";
    }
    return rules;
}

} // namespace portcullis::bench
