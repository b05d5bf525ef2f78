// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QUrl>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;
class QTimer;

namespace portcullis {

class AlertDetailPane;
class AuditView;
class BackendStatusBar;
class IdleLock;
class AlertService;
class AlertTableModel;
class AlertsView;
class DashboardView;
class DashboardModel;
struct BackendState;
class ImportDialog;
class Store;
class TriageActions;

// The console's main window: the alert list in the centre, the detail of the
// current alert in a dock below it, triage in the Alert menu and toolbar.
// It works with whatever identity the caller signed in; how that identity was
// obtained is not its concern.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(const QString &databasePath, const Identity &identity, QWidget *parent = nullptr);
    ~MainWindow() override;

    // False when the database could not be opened; databaseError() returns the reason.
    bool isDatabaseOpen() const { return m_service != nullptr; }
    QString databaseError() const { return m_databaseError; }
    QString databasePath() const { return m_databasePath; }

    AlertTableModel *alertModel() const { return m_model; }
    AlertsView *alertsView() const { return m_alertsView; }
    AlertDetailPane *detailPane() const { return m_detailPane; }
    TriageActions *triageActions() const { return m_triage; }
    ImportDialog *importDialog() const; // nullptr until File > Import logs is first used

    // View > Audit trail and Administration > Users...: always created, visible
    // only when the identity holds ViewAudit and ManageUsers respectively.
    QAction *auditTrailAction() const { return m_auditTrailAction; }
    QAction *usersAction() const { return m_usersAction; }
    QDockWidget *auditDock() const { return m_auditDock; } // nullptr without ViewAudit
    AuditView *auditView() const { return m_auditView; }   // nullptr without ViewAudit
    IdleLock *idleLock() const { return m_idleLock; }

    // The central tabs: the alert list (index 0) and the Dashboard (index 1).
    QTabWidget *viewTabs() const { return m_viewTabs; }
    DashboardView *dashboardView() const { return m_dashboardView; }

    // Shows a backend connection's state in the status bar and on the Dashboard.
    // Sets the address shown in the tooltip of a connection's status label.
    void setBackendUrl(const QString &name, const QUrl &url);
    void setBackendState(const QString &name, const BackendState &state);

    // When false, engine errors go to the status bar and the log only
    // (tests and screenshots must not block on a message box).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

public Q_SLOTS:
    void showImportDialog();
    // Opens the import dialog with these files and starts importing them.
    void importFiles(const QStringList &paths);
    void refreshAlerts();
    // Refreshes the alert list at most once every two seconds while alerts arrive.
    void scheduleAlertRefresh();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createCentralViews();
    void createMenus();
    void createStatusBar();
    // Security parts, in mainwindowsecurity.cpp.
    void createSecurityActions(QMenu *viewMenu);
    void createSecurityStatus();
    void showUserManagement();
    void restoreSettings();
    void saveSettings() const;
    void updateCounts();
    void updateSeverityCounts();
    void showEngineError(const QString &title, const QString &message);
    void showShortcutHelp();

    QString m_databasePath;
    Identity m_identity;
    QString m_databaseError;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<AlertService> m_service;

    AlertTableModel *m_model = nullptr;
    AlertsView *m_alertsView = nullptr;
    AlertDetailPane *m_detailPane = nullptr;
    QDockWidget *m_detailDock = nullptr;
    TriageActions *m_triage = nullptr;
    QPointer<ImportDialog> m_importDialog;
    QTimer *m_importRefreshTimer = nullptr;
    QTimer *m_liveRefreshTimer = nullptr;
    QTabWidget *m_viewTabs = nullptr;
    DashboardModel *m_dashboardModel = nullptr;
    DashboardView *m_dashboardView = nullptr;
    BackendStatusBar *m_backendBar = nullptr;
    bool m_detailDockOnAlerts = true; // the dock's visibility when the Dashboard was opened
    QMap<QString, QUrl> m_backendUrls; // connection name -> its address, for the tooltip
    QAction *m_auditTrailAction = nullptr;
    QAction *m_usersAction = nullptr;
    QDockWidget *m_auditDock = nullptr;
    AuditView *m_auditView = nullptr;
    IdleLock *m_idleLock = nullptr;

    QLabel *m_countLabel = nullptr;
    QLabel *m_identityLabel = nullptr;
    bool m_errorDialogs = true;
    bool m_showingError = false;
};

} // namespace portcullis
