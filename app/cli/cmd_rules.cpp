// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

namespace portcullis::cli {

int runRules(const QStringList &arguments)
{
    Q_UNUSED(arguments);
    err() << "portcullis-cli rules: not built yet\n";
    return ExitFailure;
}

} // namespace portcullis::cli
