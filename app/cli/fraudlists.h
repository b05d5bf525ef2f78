// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace portcullis::cli {

// `portcullis-cli fraud lists` (cmd_fraudlists.cpp); `arguments` starts with "lists".
int runFraudLists(const QStringList &arguments);
// `portcullis-cli fraud list show|add|remove ...`; `arguments` starts with "list".
int runFraudList(const QStringList &arguments);

} // namespace portcullis::cli
