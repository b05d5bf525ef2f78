// SPDX-License-Identifier: GPL-3.0-or-later
#include "historymodel.h"

#include "alertstyle.h"
#include "displaytext.h"

namespace portcullis {

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();

    const AlertHistoryEntry &entry = m_entries.at(index.row());
    if (role == Qt::DisplayRole)
        return cellText(entry, index.column());
    if (role == Qt::ToolTipRole && index.column() == NoteColumn)
        return displayText(entry.note);
    return QVariant();
}

QString HistoryModel::cellText(const AlertHistoryEntry &entry, int column) const
{
    switch (column) {
    case TimeColumn:
        return formatTimestamp(entry.atMs);
    case ActorColumn:
        return displayText(entry.actor);
    case ActionColumn:
        return displayText(entry.action);
    case StatusColumn:
        return statusLabel(entry.status);
    case AssigneeColumn:
        return displayText(entry.assignee);
    case DispositionColumn:
        return dispositionLabel(entry.disposition);
    case NoteColumn: {
        QString note = displayText(entry.note);
        return note.replace(QLatin1String("\\x0a"), QStringLiteral(" / "));
    }
    default:
        return QString();
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();

    switch (section) {
    case TimeColumn:
        return tr("Time (UTC)");
    case ActorColumn:
        return tr("By");
    case ActionColumn:
        return tr("Change");
    case StatusColumn:
        return tr("Status");
    case AssigneeColumn:
        return tr("Assignee");
    case DispositionColumn:
        return tr("Disposition");
    case NoteColumn:
        return tr("Note");
    default:
        return QVariant();
    }
}

void HistoryModel::setEntries(const QVector<AlertHistoryEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

void HistoryModel::clear()
{
    setEntries({});
}

} // namespace portcullis
