// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertsview.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "security/identity.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>

#include <memory>

namespace {

struct Options {
    QString databasePath;
    QString screenshotPath; // hidden option: save the window to this PNG and quit
    int selectRow = -1; // hidden option: the row to select before the screenshot
    QStringList importPaths; // log files to import at start
};

QString defaultDatabasePath()
{
    const QString fromEnvironment = qEnvironmentVariable("PORTCULLIS_DATABASE");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(folder).filePath(QStringLiteral("portcullis.db"));
}

Options parseOptions(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Portcullis security operations console"));
    parser.addHelpOption();
    parser.addVersionOption();

    QCommandLineOption database(QStringLiteral("database"),
        QCoreApplication::translate("main",
            "SQLite database file to open "
            "(default: %1).")
            .arg(defaultDatabasePath()),
        QStringLiteral("path"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save the window as a PNG once painted, then exit."),
        QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption selectRow(QStringLiteral("select-row"),
        QStringLiteral("Select this 0-based row before the screenshot."), QStringLiteral("row"));
    selectRow.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({ database, screenshot, selectRow });
    parser.addPositionalArgument(QStringLiteral("files"),
        QCoreApplication::translate("main",
            "Log files to import at start, as File > Import logs "
            "does."),
        QStringLiteral("[FILE...]"));
    parser.process(app);

    Options options;
    options.databasePath = parser.isSet(database) ? parser.value(database) : defaultDatabasePath();
    options.screenshotPath = parser.value(screenshot);
    options.selectRow = parser.isSet(selectRow) ? parser.value(selectRow).toInt() : -1;
    options.importPaths = parser.positionalArguments();
    return options;
}

// Returns the identity the console acts as.
// TODO: replaced by sign-in. Until then every local user acts as an analyst
// and administrator named after $USER.
portcullis::Identity obtainIdentity()
{
    portcullis::Identity identity;
    identity.userId = 1;
    identity.userName = qEnvironmentVariable("USER", QStringLiteral("analyst"));
    identity.roles = { portcullis::Role::Analyst, portcullis::Role::Administrator };
    return identity;
}

void installTranslators(QApplication &app)
{
    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qtTranslator);

    // English is the source language, but its catalog carries the plural forms
    // ("1 event", "2 events"), so it is the fallback for untranslated locales.
    auto *translator = new QTranslator(&app);
    const QString folder = QStringLiteral(":/i18n");
    if (translator->load(QLocale(), QStringLiteral("portcullis"), QStringLiteral("_"), folder)
        || translator->load(QStringLiteral("portcullis_en"), folder))
        app.installTranslator(translator);
}

// Screenshots use throw-away settings, so saved window layouts do not leak
// into them and they do not overwrite the user's.
void isolateSettingsForScreenshot(QTemporaryDir &settingsDir)
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
}

void takeScreenshot(portcullis::MainWindow &window, const Options &options)
{
    QTimer::singleShot(300, &window, [&window, options] {
        if (options.selectRow >= 0)
            window.alertsView()->selectRow(options.selectRow);
        QTimer::singleShot(500, &window, [&window, options] {
            const bool saved = window.grab().save(options.screenshotPath, "PNG");
            if (!saved)
                qWarning(
                    "Could not write the screenshot to %s", qPrintable(options.screenshotPath));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    });
}

// Takes the screenshot once the window has painted, and after the import of
// the files given on the command line when there are any.
void scheduleScreenshot(portcullis::MainWindow &window, const Options &options)
{
    window.setErrorDialogsEnabled(false);
    window.setGeometry(window.screen()->availableGeometry());
    if (options.importPaths.isEmpty()) {
        takeScreenshot(window, options);
        return;
    }
    QObject::connect(window.importDialog(), &portcullis::ImportDialog::importFinished, &window,
        [&window, options] {
            window.importDialog()->hide();
            takeScreenshot(window, options);
        });
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Portcullis"));
    QCoreApplication::setApplicationName(QStringLiteral("portcullis"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));
    installTranslators(app);

    const Options options = parseOptions(app);
    QTemporaryDir settingsDir;
    if (!options.screenshotPath.isEmpty())
        isolateSettingsForScreenshot(settingsDir);

    QDir().mkpath(QFileInfo(options.databasePath).absolutePath());
    const portcullis::Identity identity = obtainIdentity();

    portcullis::MainWindow window(options.databasePath, identity);
    if (!window.isDatabaseOpen()) {
        QMessageBox::critical(nullptr, QCoreApplication::translate("main", "Portcullis"),
            QCoreApplication::translate("main",
                "Could not open the database %1: %2\n"
                "Start Portcullis with --database "
                "PATH to use another file.")
                .arg(options.databasePath, window.databaseError()));
        return 1;
    }
    window.show();

    if (!options.importPaths.isEmpty())
        window.importFiles(options.importPaths);
    if (!options.screenshotPath.isEmpty())
        scheduleScreenshot(window, options);
    return app.exec();
}
