// SPDX-License-Identifier: GPL-3.0-or-later
#include "ruleoptions.h"

#include "commands.h"
#include "terminaltext.h"

#include "ingest/fileimporter.h"
#include "ingest/ruledetectors.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace portcullis::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

} // namespace

void addRuleOptions(QCommandLineParser &parser)
{
    parser.addOption({ QStringLiteral("no-sigma"),
        tr("Do not run the Sigma rules shipped with Portcullis (the --rules ones still run).") });
    parser.addOption({ QStringLiteral("rules"),
        tr("Also run the Sigma rules of this file or folder (read recursively); repeatable."),
        QStringLiteral("PATH") });
}

bool readRuleOptions(
    const QCommandLineParser &parser, const QString &command, ImportOptions *options)
{
    const bool shipped = !parser.isSet(QStringLiteral("no-sigma"));
    const QStringList extraPaths = parser.values(QStringLiteral("rules"));
    QStringList warnings;
    QString error;
    options->sigmaRules = loadDetectionRules(shipped, extraPaths, &warnings, &error);
    for (const QString &warning : std::as_const(warnings))
        err() << tr("%1: Sigma rule left out: %2\n").arg(command, terminalText(warning));
    if (!error.isEmpty()) {
        err() << command << ": " << error << '\n';
        return false;
    }
    return true;
}

} // namespace portcullis::cli
