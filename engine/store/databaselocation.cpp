// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/databaselocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <sys/stat.h>

namespace portcullis {

namespace {

// Equal to QStandardPaths::AppDataLocation in an application with these names.
const char *const OrganisationName = "Portcullis";
const char *const ApplicationName = "portcullis";

} // namespace

QString defaultDatabasePath(QString *errorMessage)
{
    const QString fromEnvironment = qEnvironmentVariable("PORTCULLIS_DATABASE");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;

    const QString dataHome = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    const QString folder = QDir(dataHome).filePath(QLatin1String(OrganisationName)
        + QLatin1Char('/') + QLatin1String(ApplicationName));
    if (!QDir().mkpath(folder)) {
        if (errorMessage)
            *errorMessage = QCoreApplication::translate("portcullis",
                "Cannot create the data folder %1; create it or pass --database PATH.")
                                .arg(folder);
    } else if (::chmod(QFile::encodeName(folder).constData(), 0700) != 0 && errorMessage) {
        *errorMessage = QCoreApplication::translate("portcullis",
            "Cannot restrict the data folder %1 to its owner (mode 0700); run chmod 700 on it.")
                            .arg(folder);
    }
    return QDir(folder).filePath(QStringLiteral("portcullis.db"));
}

} // namespace portcullis
