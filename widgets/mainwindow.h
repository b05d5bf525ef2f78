// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QTimer;

namespace portcullis {

class AlertDetailPane;
class AlertService;
class AlertTableModel;
class AlertsView;
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

    // When false, engine errors go to the status bar and the log only
    // (tests and screenshots must not block on a message box).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

public Q_SLOTS:
    void showImportDialog();
    // Opens the import dialog with these files and starts importing them.
    void importFiles(const QStringList &paths);
    void refreshAlerts();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createCentralViews();
    void createMenus();
    void createStatusBar();
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

    QLabel *m_countLabel = nullptr;
    QLabel *m_identityLabel = nullptr;
    bool m_errorDialogs = true;
    bool m_showingError = false;
};

} // namespace portcullis
