// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo.h"

#include "dashboardview.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "security/signininteractive.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStatusBar>

namespace portcullis {

namespace {

// Synthetic logs written by scripts/make-demo-logs.py, embedded through resources/demo/demo.qrc.
const char *const DemoLogs[] = { "auth.log", "access.log" };

QString translate(const char *text)
{
    return QCoreApplication::translate("demo", text);
}

bool copyDemoLogs(DemoSession &session, QString *errorMessage)
{
    for (const char *name : DemoLogs) {
        const QString source = QStringLiteral(":/demo/") + QLatin1String(name);
        const QString target = QDir(session.folder->path()).filePath(QLatin1String(name));
        if (!QFile::copy(source, target)) {
            *errorMessage = translate("Cannot copy the demo log %1 to %2; check the free space "
                                      "in the temporary folder.")
                                .arg(source, target);
            return false;
        }
        session.logPaths << target;
    }
    return true;
}

} // namespace

std::unique_ptr<DemoSession> prepareDemo(const QString &explicitDatabasePath,
                                         QString *errorMessage)
{
    if (!explicitDatabasePath.isEmpty()) {
        *errorMessage = translate("--demo runs on a throw-away database and cannot open %1. "
                                  "Start Portcullis without --database for the demo, or without "
                                  "--demo to sign in to that database.")
                            .arg(explicitDatabasePath);
        return nullptr;
    }

    auto session = std::make_unique<DemoSession>();
    session->folder = std::make_unique<QTemporaryDir>(
        QDir(QDir::tempPath()).filePath(QStringLiteral("portcullis-demo-XXXXXX")));
    if (!session->folder->isValid()) {
        *errorMessage = translate("Cannot create a temporary folder for the demo: %1")
                            .arg(session->folder->errorString());
        return nullptr;
    }
    session->databasePath = session->folder->filePath(QStringLiteral("demo.db"));

    Database db;
    if (!db.open(session->databasePath, errorMessage))
        return nullptr;
    const std::optional<Identity> identity = signInDemo(db, errorMessage);
    if (!identity)
        return nullptr;
    session->identity = *identity;

    if (!copyDemoLogs(*session, errorMessage))
        return nullptr;
    return session;
}

void startDemoFeed(MainWindow &window, const DemoSession &session)
{
    window.importFiles(session.logPaths);
    QObject::connect(window.importDialog(), &ImportDialog::importFinished, &window,
                     [&window](bool ok) {
                         if (!ok)
                             return; // the import dialog stays open and shows the error
                         window.importDialog()->hide();
                         window.statusBar()->showMessage(
                             translate("Demo logs imported: the alerts are synthetic attacks "
                                       "on a made-up booking platform."),
                             15000);
                     });
}

bool startLiveDemo(MainWindow &window, DemoSession &session)
{
    session.live = std::make_unique<LiveDemo>();
    LiveDemo *live = session.live.get();
    window.setBackendUrl(QStringLiteral("demo"), live->baseUrl());
    QObject::connect(live, &LiveDemo::stateChanged, &window, &MainWindow::setBackendState);
    QObject::connect(live, &LiveDemo::alertsStored, &window, &MainWindow::scheduleAlertRefresh);

    QString error;
    if (!live->start(session.databasePath, &error)) {
        session.live.reset();
        window.statusBar()->showMessage(error);
        return false;
    }
    window.dashboardView()->setNote(
        translate("Demo: the backend stand-in on %1 simulates a booking platform and its "
                  "attackers at %2 times real speed, so event times run ahead of the clock.")
            .arg(live->baseUrl().toString())
            .arg(LiveDemo::DemoSpeed));
    return true;
}

} // namespace portcullis
