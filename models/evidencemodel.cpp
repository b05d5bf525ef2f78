// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidencemodel.h"

#include "alertstyle.h"
#include "displaytext.h"

#include <QFileInfo>

namespace portcullis {

EvidenceModel::EvidenceModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int EvidenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EvidenceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvidenceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();

    const Event &event = m_events.at(index.row());
    if (role == Qt::DisplayRole)
        return cellText(event, index.column());
    if (role == Qt::ToolTipRole && index.column() == LocationColumn)
        return displayText(event.filePath);
    if (role == Qt::ToolTipRole && index.column() == RawLineColumn && event.originalTruncated)
        return tr("The raw line was longer than the import limit and was cut");
    return QVariant();
}

QString EvidenceModel::cellText(const Event &event, int column) const
{
    switch (column) {
    case TimeColumn:
        return formatTimestamp(event.timestampMs);
    case SourceColumn:
        return displayText(event.sourceIp.isEmpty() ? event.sourceDomain : event.sourceIp);
    case UserColumn:
        return event.hasUserName ? displayValue(event.userName) : QString();
    case ActionColumn:
        return displayText(event.action);
    case OutcomeColumn:
        return outcomeName(event.outcome);
    case LocationColumn:
        if (event.filePath.isEmpty())
            return QString();
        return displayText(QFileInfo(event.filePath).fileName()) + QLatin1Char(':')
            + QString::number(event.lineNumber);
    case RawLineColumn:
        return displayText(event.original);
    default:
        return QString();
    }
}

QVariant EvidenceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();

    switch (section) {
    case TimeColumn:
        return tr("Time (UTC)");
    case SourceColumn:
        return tr("Source");
    case UserColumn:
        return tr("User");
    case ActionColumn:
        return tr("Action");
    case OutcomeColumn:
        return tr("Outcome");
    case LocationColumn:
        return tr("File:line");
    case RawLineColumn:
        return tr("Raw line");
    default:
        return QVariant();
    }
}

void EvidenceModel::setEvents(const QVector<Event> &events)
{
    beginResetModel();
    m_events = events;
    endResetModel();
}

void EvidenceModel::clear()
{
    setEvents({});
}

QString EvidenceModel::rawLines() const
{
    QStringList lines;
    lines.reserve(m_events.size());
    const Event *previous = nullptr;
    for (const Event &event : m_events) {
        // A "message repeated N times" line becomes N events of one file
        // line, so its text is shown once.
        const bool sameLine = previous && event.lineNumber > 0 && !event.filePath.isEmpty()
            && event.lineNumber == previous->lineNumber && event.filePath == previous->filePath
            && event.original == previous->original;
        previous = &event;
        if (!sameLine)
            lines << displayText(event.original);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace portcullis
