// SPDX-License-Identifier: GPL-3.0-or-later
#include "triageactions.h"

#include "alertsview.h"
#include "alerttablemodel.h"
#include "respond/alertservice.h"
#include "triagedialogs.h"

#include <QAction>
#include <QCoreApplication>
#include <QItemSelectionModel>
#include <QProgressDialog>
#include <QSettings>
#include <QTableView>

namespace portcullis {

namespace {

constexpr int MaxReportedFailures = 10;
constexpr int MaxRecentAssignees = 10;
const char RecentAssigneesKey[] = "triage/recentAssignees";

bool isOpen(AlertStatus status)
{
    return status == AlertStatus::Open;
}

bool isNotClosed(AlertStatus status)
{
    return status != AlertStatus::Closed;
}

bool isClosed(AlertStatus status)
{
    return status == AlertStatus::Closed;
}

} // namespace

TriageActions::TriageActions(
    AlertService &service, const Identity &identity, AlertsView *view, QWidget *dialogParent)
    : QObject(view)
    , m_service(service)
    , m_identity(identity)
    , m_view(view)
    , m_dialogParent(dialogParent)
{
    m_acknowledge = createAction(tr("&Acknowledge"), Qt::Key_A,
        tr("Mark the selected open alerts as seen and being worked on"));
    m_assign = createAction(tr("A&ssign..."), Qt::SHIFT | Qt::Key_A,
        tr("Assign the selected open or acknowledged alerts to an analyst"));
    m_close = createAction(
        tr("&Close..."), Qt::Key_C, tr("Close the selected alerts with a disposition and a note"));
    m_reopen = createAction(tr("&Reopen"), Qt::Key_R, tr("Reopen the selected closed alerts"));
    m_next = createAction(tr("&Next alert"), Qt::Key_J, tr("Select the next alert in the list"));
    m_previous = createAction(
        tr("&Previous alert"), Qt::Key_K, tr("Select the previous alert in the list"));
    m_selectAll = createAction(tr("Select all &matching alerts"), Qt::CTRL | Qt::SHIFT | Qt::Key_M,
        tr("Select every alert that matches the filter, not only the "
           "rows loaded so far"));

    connect(m_acknowledge, &QAction::triggered, this, [this] { acknowledgeSelected(); });
    connect(m_assign, &QAction::triggered, this, &TriageActions::assignWithDialog);
    connect(m_close, &QAction::triggered, this, &TriageActions::closeWithDialog);
    connect(m_reopen, &QAction::triggered, this, [this] { reopenSelected(); });
    connect(m_next, &QAction::triggered, m_view, &AlertsView::selectNext);
    connect(m_previous, &QAction::triggered, m_view, &AlertsView::selectPrevious);
    connect(m_selectAll, &QAction::triggered, m_view, &AlertsView::selectAllMatching);

    connect(m_view, &AlertsView::selectionChanged, this, &TriageActions::updateActions);
    connect(m_view->model(), &AlertTableModel::queryChanged, this, &TriageActions::updateActions);

    // The engine checks the permission on every call; hiding the actions only
    // spares the user an error.
    const bool mayTriage = hasPermission(m_identity, Permission::TriageAlerts);
    for (QAction *action : triageActions())
        action->setVisible(mayTriage);
    updateActions();
}

QAction *TriageActions::createAction(
    const QString &text, const QKeySequence &shortcut, const QString &toolTip)
{
    auto *action = new QAction(text, this);
    action->setShortcut(shortcut);
    // Toolbar buttons show the key beside the name, so the shortcuts are learnt by looking.
    action->setIconText(
        tr("%1  %2").arg(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("...")),
            shortcut.toString(QKeySequence::NativeText)));
    action->setToolTip(tr("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
    action->setStatusTip(toolTip);
    // Window-wide, so the keys work from the table and the detail pane; text
    // fields take printable keys first, so typing a search never triggers one.
    action->setShortcutContext(Qt::WindowShortcut);
    m_view->addAction(action);
    return action;
}

QList<QAction *> TriageActions::triageActions() const
{
    return { m_acknowledge, m_assign, m_close, m_reopen };
}

void TriageActions::updateActions()
{
    const bool mayTriage = hasPermission(m_identity, Permission::TriageAlerts);
    const QModelIndexList rows = m_view->tableView()->selectionModel()->selectedRows();
    bool anyOpen = false;
    bool anyNotClosed = false;
    bool anyClosed = false;

    // A huge selection is not inspected row by row; the actions then skip
    // the alerts they do not apply to when they run.
    if (rows.size() > AlertTableModel::DefaultPageSize) {
        anyOpen = anyNotClosed = anyClosed = true;
    } else {
        for (const QModelIndex &index : rows) {
            const auto status
                = static_cast<AlertStatus>(index.data(AlertTableModel::StatusRole).toInt());
            anyOpen = anyOpen || isOpen(status);
            anyNotClosed = anyNotClosed || isNotClosed(status);
            anyClosed = anyClosed || isClosed(status);
        }
    }

    m_acknowledge->setEnabled(mayTriage && anyOpen);
    m_assign->setEnabled(mayTriage && anyNotClosed);
    m_close->setEnabled(mayTriage && anyNotClosed);
    m_reopen->setEnabled(mayTriage && anyClosed);
}

QVector<qint64> TriageActions::selectedIdsWhere(const Applies &applies) const
{
    QVector<qint64> ids;
    const QModelIndexList rows = m_view->tableView()->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const auto status
            = static_cast<AlertStatus>(index.data(AlertTableModel::StatusRole).toInt());
        if (applies(status))
            ids << index.data(AlertTableModel::AlertIdRole).toLongLong();
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Runs `operation` on each selected alert that `applies` accepts, collects
// the engine's error messages, then reports the changed alerts.
int TriageActions::applyToSelection(
    const QString &label, const Applies &applies, const Operation &operation)
{
    const QVector<qint64> ids = selectedIdsWhere(applies);
    if (ids.isEmpty())
        return 0;

    std::unique_ptr<QProgressDialog> progress;
    if (ids.size() > ProgressThreshold) {
        progress = std::make_unique<QProgressDialog>(
            label, tr("Stop"), 0, int(ids.size()), m_dialogParent);
        progress->setWindowModality(Qt::WindowModal);
        progress->setMinimumDuration(300);
    }

    QVector<qint64> changed;
    QStringList failures;
    for (int i = 0; i < ids.size(); ++i) {
        if (progress) {
            progress->setValue(i);
            if (progress->wasCanceled())
                break;
        }
        QString error;
        if (operation(ids.at(i), &error))
            changed << ids.at(i);
        else
            failures << tr("Alert %1: %2").arg(ids.at(i)).arg(error);
    }

    if (!changed.isEmpty())
        Q_EMIT alertsChanged(changed);
    if (!failures.isEmpty()) {
        const int more = int(failures.size()) - MaxReportedFailures;
        QStringList shown = failures.mid(0, MaxReportedFailures);
        if (more > 0)
            shown << tr("... and %n more", nullptr, more);
        Q_EMIT triageFailed(shown.join(QLatin1Char('\n')));
    }
    return int(changed.size());
}

int TriageActions::acknowledgeSelected(const QString &note)
{
    return applyToSelection(
        tr("Acknowledging alerts..."), isOpen, [this, note](qint64 id, QString *error) {
            return m_service.acknowledge(m_identity, id, note, error);
        });
}

int TriageActions::assignSelected(const QString &assignee, const QString &note)
{
    return applyToSelection(
        tr("Assigning alerts..."), isNotClosed, [this, assignee, note](qint64 id, QString *error) {
            return m_service.assign(m_identity, id, assignee, note, error);
        });
}

int TriageActions::closeSelected(Disposition disposition, const QString &note)
{
    return applyToSelection(
        tr("Closing alerts..."), isNotClosed, [this, disposition, note](qint64 id, QString *error) {
            return m_service.close(m_identity, id, disposition, note, error);
        });
}

int TriageActions::reopenSelected(const QString &note)
{
    return applyToSelection(
        tr("Reopening alerts..."), isClosed, [this, note](qint64 id, QString *error) {
            return m_service.reopen(m_identity, id, note, error);
        });
}

void TriageActions::assignWithDialog()
{
    const int count = int(selectedIdsWhere(isNotClosed).size());
    if (count == 0)
        return;

    AssignAlertDialog dialog(count, assigneeSuggestions(), m_dialogParent);
    if (dialog.exec() != QDialog::Accepted)
        return;

    QSettings settings;
    QStringList recent = settings.value(QLatin1String(RecentAssigneesKey)).toStringList();
    recent.removeAll(dialog.assignee());
    recent.prepend(dialog.assignee());
    settings.setValue(QLatin1String(RecentAssigneesKey), recent.mid(0, MaxRecentAssignees));

    assignSelected(dialog.assignee(), dialog.note());
}

void TriageActions::closeWithDialog()
{
    const int count = int(selectedIdsWhere(isNotClosed).size());
    if (count == 0)
        return;

    CloseAlertDialog dialog(count, m_dialogParent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    closeSelected(dialog.disposition(), dialog.note());
}

QStringList TriageActions::assigneeSuggestions() const
{
    QStringList suggestions { m_identity.userName };
    const QStringList recent = QSettings().value(QLatin1String(RecentAssigneesKey)).toStringList();
    for (const QString &name : recent) {
        if (!suggestions.contains(name))
            suggestions << name;
    }
    return suggestions;
}

} // namespace portcullis
