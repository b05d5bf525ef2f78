// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "security/identity.h"

#include <QObject>
#include <QVector>

#include <functional>

class QAction;
class QWidget;

namespace portcullis {

class AlertService;
class AlertsView;

// The triage actions with their shortcuts: Acknowledge (A), Assign
// (Shift+A), Close (C), Reopen (R), next and previous alert (J, K). Each
// acts on every selected alert whose state allows it, through AlertService,
// which checks the permission again and records the history.
class TriageActions : public QObject {
    Q_OBJECT

public:
    // Above this many alerts a bulk action shows a cancellable progress dialog.
    static constexpr int ProgressThreshold = 50;

    TriageActions(
        AlertService &service, const Identity &identity, AlertsView *view, QWidget *dialogParent);

    QAction *acknowledgeAction() const { return m_acknowledge; }
    QAction *assignAction() const { return m_assign; }
    QAction *closeAction() const { return m_close; }
    QAction *reopenAction() const { return m_reopen; }
    QAction *nextAction() const { return m_next; }
    QAction *previousAction() const { return m_previous; }
    QAction *selectAllMatchingAction() const { return m_selectAll; }
    QList<QAction *> triageActions() const;

    // The work behind the actions, without dialogs. Each returns the number
    // of alerts changed.
    int acknowledgeSelected(const QString &note = QString());
    int assignSelected(const QString &assignee, const QString &note);
    int closeSelected(Disposition disposition, const QString &note);
    int reopenSelected(const QString &note = QString());

public Q_SLOTS:
    void updateActions();

Q_SIGNALS:
    // Alerts whose state changed; views refresh from the store.
    void alertsChanged(const QVector<qint64> &alertIds);
    // The engine rejected a change; the message is the engine's own text.
    void triageFailed(const QString &message);

private:
    using Operation = std::function<bool(qint64 alertId, QString *errorMessage)>;
    using Applies = std::function<bool(AlertStatus status)>;

    QAction *createAction(
        const QString &text, const QKeySequence &shortcut, const QString &toolTip);
    int applyToSelection(const QString &label, const Applies &applies, const Operation &operation);
    QVector<qint64> selectedIdsWhere(const Applies &applies) const;
    void assignWithDialog();
    void closeWithDialog();
    QStringList assigneeSuggestions() const;

    AlertService &m_service;
    Identity m_identity;
    AlertsView *m_view = nullptr;
    QWidget *m_dialogParent = nullptr;

    QAction *m_acknowledge = nullptr;
    QAction *m_assign = nullptr;
    QAction *m_close = nullptr;
    QAction *m_reopen = nullptr;
    QAction *m_next = nullptr;
    QAction *m_previous = nullptr;
    QAction *m_selectAll = nullptr;
};

} // namespace portcullis
