// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli: the headless console. Each command lives in its own file
// (cmd_*.cpp) and is listed in commands.cpp.
#include "commands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portcullis-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Portcullis"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));
    return portcullis::cli::run(QCoreApplication::arguments());
}
