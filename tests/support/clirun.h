// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace portcullis::testing {

// The outcome of one portcullis-cli run. exitCode is -1 when the program
// crashed or did not finish in time.
struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Returns the test process's environment without the sign-in variables a
// developer may have set, and with PORTCULLIS_DATABASE set to
// `databasePath` when that is not empty.
inline QProcessEnvironment cliEnvironment(const QString &databasePath = QString())
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("PORTCULLIS_TOKEN"));
    environment.remove(QStringLiteral("PORTCULLIS_USER"));
    if (!databasePath.isEmpty())
        environment.insert(QStringLiteral("PORTCULLIS_DATABASE"), databasePath);
    return environment;
}

// Runs `program` (the built portcullis-cli) with `arguments` and
// `environment`, with `input` on its standard input, and waits up to two
// minutes for it to finish.
inline CliResult runCliProgram(const QString &program, const QStringList &arguments,
                               const QProcessEnvironment &environment,
                               const QByteArray &input = QByteArray())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    CliResult result;
    if (!process.waitForFinished(120'000))
        return result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// Runs `program` with `arguments` in the test process's own environment.
inline CliResult runCliProgram(const QString &program, const QStringList &arguments)
{
    return runCliProgram(program, arguments, QProcessEnvironment::systemEnvironment());
}

} // namespace portcullis::testing
