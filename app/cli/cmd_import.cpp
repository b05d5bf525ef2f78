// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

namespace portcullis::cli {

int runImport(const QStringList &arguments)
{
    Q_UNUSED(arguments);
    err() << "import: not built yet\n";
    return ExitFailure;
}

} // namespace portcullis::cli
