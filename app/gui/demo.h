// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace portcullis {

class MainWindow;

// A `portcullis --demo` session: a throw-away database in a temporary folder
// that is deleted with this object, the demo administrator signed in on it,
// and the demo logs copied beside it.
struct DemoSession
{
    std::unique_ptr<QTemporaryDir> folder;
    QString databasePath;
    QStringList logPaths;
    Identity identity;
};

// Creates the demo database and signs the demo administrator in. Rejects an
// explicit database (`explicitDatabasePath` not empty), because the demo
// identity must never act on a real database.
std::unique_ptr<DemoSession> prepareDemo(const QString &explicitDatabasePath,
                                         QString *errorMessage);

// Feeds the demo's data into the window: for now the bundled synthetic logs,
// imported on the import worker thread, so alerts appear within seconds.
void startDemoFeed(MainWindow &window, const DemoSession &session);

} // namespace portcullis
