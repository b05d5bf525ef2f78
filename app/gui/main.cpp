// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertsview.h"
#include "consolesignin.h"
#include "dashboardview.h"
#include "demo.h"
#include "fraud/fraudview.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "security/identity.h"
#include "store/databaselocation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>

#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>

#include <algorithm>
#include <memory>
#include <optional>

namespace {

struct Options {
    QString databasePath;
    QString explicitDatabasePath; // --database as given, empty without it
    bool demo = false;
    QString screenshotPath; // hidden option: save the window to this PNG and quit
    QString dashboardScreenshotPath; // hidden option: also save the Dashboard tab
    QString fraudScreenshotPath; // hidden option: also save the Fraud tab
    int screenshotDelaySeconds = 0; // hidden option: wait this long before the screenshot
    int selectRow = -1; // hidden option: the row to select before the screenshot
    QStringList importPaths; // log files to import at start
};

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
            .arg(portcullis::defaultDatabasePath()),
        QStringLiteral("path"));
    QCommandLineOption demo(QStringLiteral("demo"),
        QCoreApplication::translate("main",
            "Run the demo: a throw-away database with synthetic logs, a live backend stand-in on "
            "127.0.0.1 sending simulated attacks, and a demo administrator signed in. The "
            "database is deleted on quit."));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save the window as a PNG once painted, then exit."),
        QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption selectRow(QStringLiteral("select-row"),
        QStringLiteral("Select this 0-based row before the screenshot."), QStringLiteral("row"));
    selectRow.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption dashboardScreenshot(QStringLiteral("screenshot-dashboard"),
        QStringLiteral("Also save the Dashboard tab as a PNG, after the --screenshot one."),
        QStringLiteral("file"));
    dashboardScreenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption fraudScreenshot(QStringLiteral("screenshot-fraud"),
        QStringLiteral("Also save the Fraud tab as a PNG, after the other screenshots."),
        QStringLiteral("file"));
    fraudScreenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotDelay(QStringLiteral("screenshot-delay"),
        QStringLiteral("Seconds to wait before the screenshot (live demo data arriving)."),
        QStringLiteral("seconds"), QStringLiteral("0"));
    screenshotDelay.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions(
        { database, demo, screenshot, selectRow, dashboardScreenshot, screenshotDelay });
    parser.addOption(fraudScreenshot);
    parser.addPositionalArgument(QStringLiteral("files"),
        QCoreApplication::translate("main",
            "Log files to import at start, as File > Import logs "
            "does."),
        QStringLiteral("[FILE...]"));
    parser.process(app);

    Options options;
    options.demo = parser.isSet(demo);
    options.explicitDatabasePath = parser.value(database);
    if (!options.demo)
        options.databasePath = parser.isSet(database) ? options.explicitDatabasePath
                                                      : portcullis::defaultDatabasePath();
    options.screenshotPath = parser.value(screenshot);
    options.dashboardScreenshotPath = parser.value(dashboardScreenshot);
    options.fraudScreenshotPath = parser.value(fraudScreenshot);
    options.screenshotDelaySeconds = parser.value(screenshotDelay).toInt();
    options.selectRow = parser.isSet(selectRow) ? parser.value(selectRow).toInt() : -1;
    options.importPaths = parser.positionalArguments();
    return options;
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

// Saves the Fraud tab, with its first queue row selected, then exits.
void takeFraudScreenshot(portcullis::MainWindow &window, const Options &options)
{
    auto *fraud = window.findChild<portcullis::FraudView *>(QStringLiteral("fraudView"));
    window.viewTabs()->setCurrentWidget(fraud);
    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("alertDetailDock")))
        dock->hide(); // the alert detail belongs to the alert list
    QTimer::singleShot(1000, &window, [&window, fraud, options] {
        fraud->selectRow(0);
        QTimer::singleShot(500, &window, [&window, options] {
            const bool saved = window.grab().save(options.fraudScreenshotPath, "PNG");
            if (!saved)
                qWarning("Could not write the screenshot to %s",
                    qPrintable(options.fraudScreenshotPath));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    });
}

// Saves the Dashboard tab after the alert list's screenshot, then exits.
void takeDashboardScreenshot(portcullis::MainWindow &window, const Options &options)
{
    window.viewTabs()->setCurrentWidget(window.dashboardView());
    // One dashboard refresh (every second) after the tab is shown.
    QTimer::singleShot(1500, &window, [&window, options] {
        const bool saved = window.grab().save(options.dashboardScreenshotPath, "PNG");
        if (!saved)
            qWarning("Could not write the screenshot to %s",
                qPrintable(options.dashboardScreenshotPath));
        if (saved && !options.fraudScreenshotPath.isEmpty())
            takeFraudScreenshot(window, options);
        else
            QCoreApplication::exit(saved ? 0 : 1);
    });
}

void takeScreenshot(portcullis::MainWindow &window, const Options &options)
{
    const int delayMs = 300 + std::max(0, options.screenshotDelaySeconds) * 1000;
    QTimer::singleShot(delayMs, &window, [&window, options] {
        window.refreshAlerts();
        if (options.selectRow >= 0)
            window.alertsView()->selectRow(options.selectRow);
        QTimer::singleShot(500, &window, [&window, options] {
            const bool saved = window.grab().save(options.screenshotPath, "PNG");
            if (!saved)
                qWarning(
                    "Could not write the screenshot to %s", qPrintable(options.screenshotPath));
            if (saved && !options.dashboardScreenshotPath.isEmpty())
                takeDashboardScreenshot(window, options);
            else if (saved && !options.fraudScreenshotPath.isEmpty())
                takeFraudScreenshot(window, options);
            else
                QCoreApplication::exit(saved ? 0 : 1);
        });
    });
}

// Takes the screenshot once the window has painted, and after the import of
// the files given on the command line or the demo logs when there are any.
void scheduleScreenshot(portcullis::MainWindow &window, const Options &options, bool importing)
{
    window.setErrorDialogsEnabled(false);
    window.setGeometry(window.screen()->availableGeometry());
    if (!importing && options.importPaths.isEmpty()) {
        takeScreenshot(window, options);
        return;
    }
    QObject::connect(window.importDialog(), &portcullis::ImportDialog::importFinished, &window,
        [&window, options] {
            window.importDialog()->hide();
            takeScreenshot(window, options);
        });
}

void showStartError(const QString &message)
{
    qCritical("%s", qPrintable(message));
    QMessageBox box(QMessageBox::Critical, QCoreApplication::translate("main", "Portcullis"),
        message, QMessageBox::Ok);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

// Signs in on the console database. Returns the exit code to leave with when
// there is no identity: 0 on cancel, 1 when the database cannot be opened.
std::optional<portcullis::Identity> signIn(const Options &options, int *exitCode)
{
    QString folderError;
    if (options.explicitDatabasePath.isEmpty())
        portcullis::defaultDatabasePath(&folderError);
    else
        QDir().mkpath(QFileInfo(options.databasePath).absolutePath());

    const portcullis::ConsoleSignIn result = portcullis::signInToConsole(options.databasePath);
    if (result.outcome == portcullis::ConsoleSignIn::Failed) {
        QString message = QCoreApplication::translate("main",
            "Could not open the database %1: %2\n"
            "Start Portcullis with --database PATH to use another file.")
                              .arg(options.databasePath, result.errorMessage);
        if (!folderError.isEmpty())
            message += QLatin1Char('\n') + folderError;
        showStartError(message);
        *exitCode = 1;
        return std::nullopt;
    }
    *exitCode = 0;
    return result.identity;
}

// Selects the offscreen platform for --help and --version when no display is
// set, because the default xcb platform aborts without one before the text is
// printed. An explicit QT_QPA_PLATFORM is left alone.
void useOffscreenPlatformForTextOptions(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return;
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "-h" || argument == "--help" || argument == "--help-all"
            || argument == "-v" || argument == "--version") {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return;
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    useOffscreenPlatformForTextOptions(argc, argv);
    QApplication app(argc, argv);
    // Also the names behind portcullis::defaultDatabasePath() and QSettings.
    QCoreApplication::setOrganizationName(QStringLiteral("Portcullis"));
    QCoreApplication::setApplicationName(QStringLiteral("portcullis"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));
    installTranslators(app);

    Options options = parseOptions(app);
    QTemporaryDir settingsDir;
    if (!options.screenshotPath.isEmpty())
        isolateSettingsForScreenshot(settingsDir);

    std::unique_ptr<portcullis::DemoSession> demo;
    portcullis::Identity identity;
    if (options.demo) {
        QString error;
        demo = portcullis::prepareDemo(options.explicitDatabasePath, &error);
        if (!demo) {
            showStartError(error);
            return 2;
        }
        options.databasePath = demo->databasePath;
        identity = demo->identity;
    } else {
        int exitCode = 0;
        const std::optional<portcullis::Identity> signedIn = signIn(options, &exitCode);
        if (!signedIn)
            return exitCode;
        identity = *signedIn;
    }

    portcullis::MainWindow window(options.databasePath, identity);
    if (!window.isDatabaseOpen()) {
        showStartError(QCoreApplication::translate("main",
            "Could not open the database %1: %2\n"
            "Start Portcullis with --database PATH to use another file.")
                           .arg(options.databasePath, window.databaseError()));
        return 1;
    }
    window.show();

    if (demo) {
        portcullis::startDemoFeed(window, *demo);
        portcullis::startLiveDemo(window, *demo);
    }
    else if (!options.importPaths.isEmpty())
        window.importFiles(options.importPaths);
    if (!options.screenshotPath.isEmpty())
        scheduleScreenshot(window, options, demo != nullptr);
    return app.exec();
}
