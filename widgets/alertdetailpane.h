// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "security/identity.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace portcullis {

class AlertService;
class EvidenceModel;
class HistoryModel;

// Everything about one alert: what fired and why, its entities and times,
// the raw log lines of its evidence events and its triage history. All text
// from telemetry is shown as plain text.
class AlertDetailPane : public QWidget {
    Q_OBJECT

public:
    AlertDetailPane(AlertService &service, const Identity &identity, QWidget *parent = nullptr);

    qint64 alertId() const { return m_alertId; }
    QString rawLinesText() const;
    EvidenceModel *evidenceModel() const { return m_evidence; }
    HistoryModel *historyModel() const { return m_history; }

public Q_SLOTS:
    void showAlert(qint64 alertId); // 0 shows the empty state
    void reload();

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    QWidget *createSummary();
    QWidget *createTabs();
    void showSummary(const Alert &alert);
    void showEvidence();
    void showHistory();

    AlertService &m_service;
    Identity m_identity;
    qint64 m_alertId = 0;

    QStackedWidget *m_stack = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_severity = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_fields = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_rawLines = nullptr;
    QTableView *m_eventTable = nullptr;
    QTableView *m_historyTable = nullptr;
    EvidenceModel *m_evidence = nullptr;
    HistoryModel *m_history = nullptr;
};

} // namespace portcullis
