// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

namespace portcullis::cli {

int runAlerts(const QStringList &arguments)
{
    Q_UNUSED(arguments);
    err() << "alerts: not built yet\n";
    return ExitFailure;
}

} // namespace portcullis::cli
