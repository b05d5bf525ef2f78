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
