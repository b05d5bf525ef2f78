// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "alertdetailpane.h"
#include "alertfilterbar.h"
#include "alertstyle.h"
#include "alertsview.h"
#include "alerttablemodel.h"
#include "appicon.h"
#include "backendstatusbar.h"
#include "dashboardmodel.h"
#include "dashboardview.h"
#include "fraud/fraudview.h"
#include "importdialog.h"
#include "respond/alertservice.h"
#include "store/store.h"
#include "triageactions.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

namespace portcullis {

namespace {

// Import progress refreshes the alert list at most twice a second.
constexpr int ImportRefreshIntervalMs = 500;
constexpr int StatusMessageMs = 8000;
// Live telemetry refreshes the alert list at most every two seconds.
constexpr int LiveRefreshIntervalMs = 2000;

} // namespace

MainWindow::MainWindow(const QString &databasePath, const Identity &identity, QWidget *parent)
    : QMainWindow(parent)
    , m_databasePath(databasePath)
    , m_identity(identity)
    , m_store(std::make_unique<Store>())
{
    setObjectName(QStringLiteral("mainWindow"));
    if (identity.isDemo)
        setWindowTitle(tr("Portcullis DEMO — throw-away database, deleted when you quit"));
    else
        setWindowTitle(tr("Portcullis — %1").arg(QDir::toNativeSeparators(databasePath)));
    setWindowIcon(appIcon());

    if (!m_store->open(databasePath, &m_databaseError)) {
        m_store.reset();
        return;
    }
    m_service = std::make_unique<AlertService>(*m_store);

    createCentralViews();
    createMenus();
    createStatusBar();
    restoreSettings();
    updateCounts();
    updateSeverityCounts();
}

MainWindow::~MainWindow()
{
    // The dialog's worker thread owns its own connection; stop it before the
    // window's store goes away.
    delete m_importDialog;
}

ImportDialog *MainWindow::importDialog() const
{
    return m_importDialog;
}

void MainWindow::createCentralViews()
{
    m_model = new AlertTableModel(*m_service, m_identity, this);
    m_alertsView = new AlertsView(m_model, this);
    m_alertsView->filterBar()->setStatuses({ AlertStatus::Open, AlertStatus::Acknowledged });
    m_dashboardModel = new DashboardModel(m_databasePath, this);
    m_dashboardView = new DashboardView(m_dashboardModel, this);
    m_viewTabs = new QTabWidget(this);
    m_viewTabs->setObjectName(QStringLiteral("viewTabs"));
    m_viewTabs->setDocumentMode(true);
    m_viewTabs->addTab(m_alertsView, tr("Alerts"));
    m_viewTabs->addTab(m_dashboardView, tr("Dashboard"));
    m_viewTabs->addTab(createFraudView(m_databasePath, m_identity, this), tr("Fraud"));
    setCentralWidget(m_viewTabs);

    m_detailPane = new AlertDetailPane(*m_service, m_identity, this);
    m_detailDock = new QDockWidget(tr("Alert detail"), this);
    m_detailDock->setObjectName(QStringLiteral("alertDetailDock"));
    m_detailDock->setWidget(m_detailPane);
    addDockWidget(Qt::BottomDockWidgetArea, m_detailDock);

    m_triage = new TriageActions(*m_service, m_identity, m_alertsView, this);

    connect(
        m_alertsView, &AlertsView::currentAlertChanged, m_detailPane, &AlertDetailPane::showAlert);
    connect(m_alertsView, &AlertsView::selectionChanged, this, &MainWindow::updateCounts);
    connect(m_model, &AlertTableModel::queryChanged, this, &MainWindow::updateCounts);
    connect(m_model, &AlertTableModel::queryChanged, this, &MainWindow::updateSeverityCounts);
    connect(m_triage, &TriageActions::alertsChanged, this, &MainWindow::refreshAlerts);

    connect(m_model, &AlertTableModel::queryFailed, this,
        [this](const QString &message) { showEngineError(tr("Could not list alerts"), message); });
    connect(m_detailPane, &AlertDetailPane::loadFailed, this, [this](const QString &message) {
        showEngineError(tr("Could not load the alert"), message);
    });
    connect(m_triage, &TriageActions::triageFailed, this, [this](const QString &message) {
        showEngineError(tr("Some alerts were not changed"), message);
    });

    m_importRefreshTimer = new QTimer(this);
    m_importRefreshTimer->setSingleShot(true);
    m_importRefreshTimer->setInterval(ImportRefreshIntervalMs);
    connect(m_importRefreshTimer, &QTimer::timeout, this, &MainWindow::refreshAlerts);

    m_liveRefreshTimer = new QTimer(this);
    m_liveRefreshTimer->setSingleShot(true);
    m_liveRefreshTimer->setInterval(LiveRefreshIntervalMs);
    connect(m_liveRefreshTimer, &QTimer::timeout, this, &MainWindow::refreshAlerts);

    // The other views need the height, and the alert detail belongs to the alert list.
    connect(m_viewTabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index != 0) {
            if (m_viewTabs->property("lastIndex").toInt() == 0)
                m_detailDockOnAlerts = m_detailDock->isVisible();
            m_detailDock->hide();
        } else if (m_detailDockOnAlerts) {
            m_detailDock->show();
        }
        m_viewTabs->setProperty("lastIndex", index);
    });
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *import = file->addAction(tr("&Import logs..."), this, &MainWindow::showImportDialog);
    import->setShortcut(Qt::CTRL | Qt::Key_I);
    import->setVisible(hasPermission(m_identity, Permission::ImportLogs));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(
        tr("&Find alerts"), m_alertsView->filterBar(), &AlertFilterBar::focusSearch);
    find->setShortcut(QKeySequence::Find);
    edit->addAction(m_triage->selectAllMatchingAction());
    QAction *refresh = edit->addAction(tr("&Refresh"), this, &MainWindow::refreshAlerts);
    refresh->setShortcut(QKeySequence::Refresh);

    QMenu *alert = menuBar()->addMenu(tr("&Alert"));
    alert->addActions(m_triage->triageActions());
    alert->addSeparator();
    alert->addAction(m_triage->nextAction());
    alert->addAction(m_triage->previousAction());

    QToolBar *toolBar = addToolBar(tr("Triage"));
    toolBar->setObjectName(QStringLiteral("triageToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar->addActions(m_triage->triageActions());

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *alertsTab =
        view->addAction(tr("&Alerts"), this, [this] { m_viewTabs->setCurrentIndex(0); });
    alertsTab->setShortcut(Qt::CTRL | Qt::Key_1);
    QAction *dashboardTab =
        view->addAction(tr("&Dashboard"), this, [this] { m_viewTabs->setCurrentIndex(1); });
    dashboardTab->setShortcut(Qt::CTRL | Qt::Key_2);
    QAction *fraudTab =
        view->addAction(tr("&Fraud"), this, [this] { m_viewTabs->setCurrentIndex(2); });
    fraudTab->setShortcut(Qt::CTRL | Qt::Key_3);
    view->addSeparator();
    view->addAction(m_detailDock->toggleViewAction());
    view->addAction(toolBar->toggleViewAction());
    createSecurityActions(view);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcutHelp);
    help->addAction(tr("&About Portcullis"), this, [this] {
        QMessageBox::about(this, tr("About Portcullis"),
            tr("Portcullis %1\nA security operations console.\n"
               "Licensed under the GNU GPL, version 3 or later.")
                .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::createStatusBar()
{
    // A line left of each permanent item, so a temporary message on the left and the
    // items do not read as one sentence.
    statusBar()->setStyleSheet(
        QStringLiteral("QStatusBar::item { border: none; border-left: 1px solid palette(mid); }"));
    m_countLabel = new QLabel(this);
    m_countLabel->setTextFormat(Qt::PlainText);
    m_countLabel->setContentsMargins(6, 0, 6, 0);
    // Permanent, so that temporary messages (import finished, errors) do not hide the counts.
    statusBar()->addPermanentWidget(m_countLabel);

    QStringList roles;
    for (const Role role : m_identity.effectiveRoles())
        roles << roleName(role).replace(QLatin1Char('_'), QLatin1Char(' '));
    roles.sort();
    m_identityLabel = new QLabel(this);
    m_identityLabel->setTextFormat(Qt::PlainText);
    m_identityLabel->setContentsMargins(6, 0, 6, 0);
    m_identityLabel->setText(tr("Signed in as %1 (%2)")
                                 .arg(m_identity.userName, roles.join(QStringLiteral(", "))));
    statusBar()->addPermanentWidget(m_identityLabel);
    createSecurityStatus();
}

void MainWindow::updateCounts()
{
    if (!m_countLabel)
        return;

    QString error;
    const qint64 total = m_service->countAlerts(m_identity, AlertQuery(), &error);
    const int matching = m_model->matchingCount();
    const int selected = int(m_alertsView->tableView()->selectionModel()->selectedRows().size());

    QString text = tr("%1 of %2 alerts match the filter").arg(matching).arg(total);
    if (selected > 0)
        text += tr(" · %n selected", nullptr, selected);
    m_countLabel->setText(text);
}

// Counts per severity under the status and text filters in force, so each
// severity button shows how many alerts of its severity match.
void MainWindow::updateSeverityCounts()
{
    AlertQuery query = m_model->query();
    query.severities.clear();

    QMap<Severity, qint64> counts;
    for (const Severity severity : allSeverities()) {
        query.severities = { severity };
        QString error;
        const qint64 count = m_service->countAlerts(m_identity, query, &error);
        if (count >= 0)
            counts.insert(severity, count);
    }
    m_alertsView->filterBar()->setSeverityCounts(counts);
}

void MainWindow::refreshAlerts()
{
    m_model->refresh();
    m_detailPane->reload();
    updateCounts();
}

void MainWindow::scheduleAlertRefresh()
{
    if (!m_liveRefreshTimer->isActive())
        m_liveRefreshTimer->start();
}

void MainWindow::setBackendUrl(const QString &name, const QUrl &url)
{
    m_backendUrls.insert(name, url);
}

void MainWindow::setBackendState(const QString &name, const BackendState &state)
{
    m_dashboardModel->setBackendState(name, state);
    if (!m_backendBar) {
        m_backendBar = new BackendStatusBar(this);
        statusBar()->insertPermanentWidget(0, m_backendBar);
    }
    m_backendBar->setConnectionState(name, m_backendUrls.value(name), state);
}

void MainWindow::showImportDialog()
{
    if (!m_importDialog) {
        m_importDialog = new ImportDialog(m_databasePath, m_identity, this);
        connect(m_importDialog, &ImportDialog::batchCommitted, this, [this] {
            if (!m_importRefreshTimer->isActive())
                m_importRefreshTimer->start();
        });
        connect(m_importDialog, &ImportDialog::importFinished, this, [this](bool ok) {
            m_importRefreshTimer->stop();
            refreshAlerts();
            statusBar()->showMessage(
                ok ? tr("Import finished") : tr("Import stopped"), StatusMessageMs);
        });
    }
    m_importDialog->show();
    m_importDialog->raise();
    m_importDialog->activateWindow();
}

void MainWindow::importFiles(const QStringList &paths)
{
    showImportDialog();
    m_importDialog->addFiles(paths);
    m_importDialog->startImport();
}

void MainWindow::showEngineError(const QString &title, const QString &message)
{
    statusBar()->showMessage(title + QStringLiteral(": ") + message, StatusMessageMs);
    if (!m_errorDialogs || m_showingError)
        return;

    m_showingError = true;
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box.setTextFormat(Qt::PlainText);
    box.exec();
    m_showingError = false;
}

void MainWindow::showShortcutHelp()
{
    const QString text = tr("Ctrl+F\tsearch alerts\n"
                            "J / K\tnext / previous alert\n"
                            "A\tacknowledge the selected alerts\n"
                            "Shift+A\tassign the selected alerts\n"
                            "C\tclose with a disposition and a note\n"
                            "R\treopen closed alerts\n"
                            "Ctrl+Shift+M\tselect every alert matching the filter\n"
                            "F5\trefresh\n"
                            "Ctrl+I\timport log files");
    QMessageBox box(
        QMessageBox::Information, tr("Keyboard shortcuts"), text, QMessageBox::Ok, this);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        // First start: most of the screen, so the alert table shows all its columns.
        const QScreen *screen = this->screen();
        const QSize available = screen ? screen->availableGeometry().size() : QSize(1400, 900);
        resize(available.boundedTo(QSize(1920, 1200)) * 0.92);
    }
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    m_alertsView->restoreState(settings.value(QStringLiteral("alerts/header")).toByteArray());
}

void MainWindow::saveSettings() const
{
    if (!isDatabaseOpen())
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    settings.setValue(QStringLiteral("alerts/header"), m_alertsView->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_importDialog && m_importDialog->isRunning()) {
        const auto answer = QMessageBox::question(this, tr("Import running"),
            tr("An import is running. Cancel it and quit? Batches already committed are kept, "
               "and importing the same files again resumes where it stopped."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_importDialog->cancelImport();
    }
    // Save the alert list's layout, detail dock included, not the Dashboard's.
    if (m_viewTabs)
        m_viewTabs->setCurrentIndex(0);
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace portcullis
