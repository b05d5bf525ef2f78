// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "livedemo.h"
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
    // The live stand-in backend and its client; declared last so it stops first.
    std::unique_ptr<LiveDemo> live;
};

// Creates the demo database and signs the demo administrator in. Rejects an
// explicit database (`explicitDatabasePath` not empty), because the demo
// identity must never act on a real database.
std::unique_ptr<DemoSession> prepareDemo(const QString &explicitDatabasePath,
                                         QString *errorMessage);

// Imports the bundled synthetic logs into the window on the import worker
// thread, so alerts appear within seconds. startLiveDemo() adds live telemetry.
void startDemoFeed(MainWindow &window, const DemoSession &session);

// Starts the live part of the demo: the backend stand-in on 127.0.0.1 and a
// client storing its telemetry in the demo database, with the connection's
// state in the status bar and the alert list refreshed as alerts arrive.
// Returns false, with the reason in the status bar, when it cannot start.
bool startLiveDemo(MainWindow &window, DemoSession &session);

} // namespace portcullis
