// SPDX-License-Identifier: GPL-3.0-or-later
#include "alerttablemodel.h"

#include "alertstyle.h"
#include "displaytext.h"

#include <QFont>
#include <QTimer>

namespace portcullis {

namespace {

// Entity fields shown first in the entities column, in this order.
const char *const LeadingEntityFields[] = { "source.ip", "source.domain", "user.name" };

constexpr int MaxValuesPerField = 3;

AlertSortKey sortKeyForColumn(int column)
{
    switch (column) {
    case AlertTableModel::SeverityColumn:
        return AlertSortKey::Severity;
    case AlertTableModel::StatusColumn:
        return AlertSortKey::Status;
    case AlertTableModel::TitleColumn:
        return AlertSortKey::Title;
    case AlertTableModel::RuleColumn:
        return AlertSortKey::RuleId;
    case AlertTableModel::EventsColumn:
        return AlertSortKey::EventCount;
    case AlertTableModel::FirstSeenColumn:
        return AlertSortKey::FirstSeen;
    case AlertTableModel::AssigneeColumn:
        return AlertSortKey::Assignee;
    default:
        return AlertSortKey::LastSeen;
    }
}

} // namespace

AlertTableModel::AlertTableModel(AlertService &service, const Identity &identity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_service(service)
    , m_identity(identity)
{
    m_query.sortKey = AlertSortKey::Severity;
    m_query.ascending = false;
    requery(false);
}

int AlertTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_fetchedRows;
}

int AlertTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();

    if (role == AlertIdRole)
        return m_ids.at(index.row());

    const Alert *alert = loadRow(index.row());
    if (!alert)
        return QVariant();

    switch (role) {
    case Qt::DisplayRole:
        return displayData(*alert, index.column());
    case Qt::ToolTipRole:
        if (index.column() == EntitiesColumn)
            return entitiesText(*alert);
        if (index.column() == TitleColumn)
            return displayText(alert->reason);
        return QVariant();
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return severityIcon(alert->severity);
        return QVariant();
    case Qt::FontRole:
        if (index.column() == SeverityColumn && alert->severity >= Severity::High) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return QVariant();
    case Qt::ForegroundRole:
        if (alert->status == AlertStatus::Closed)
            return QColor(Qt::gray);
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == EventsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case SeverityRole:
        return static_cast<int>(alert->severity);
    case StatusRole:
        return static_cast<int>(alert->status);
    default:
        return QVariant();
    }
}

QVariant AlertTableModel::displayData(const Alert &alert, int column) const
{
    switch (column) {
    case SeverityColumn:
        return severityLabel(alert.severity);
    case StatusColumn:
        if (alert.status == AlertStatus::Closed && alert.disposition != Disposition::None)
            return tr("Closed: %1").arg(dispositionLabel(alert.disposition));
        return statusLabel(alert.status);
    case TitleColumn:
        return displayText(alert.title);
    case RuleColumn:
        return displayText(alert.ruleId);
    case EntitiesColumn: {
        QString text = entitiesText(alert);
        return text.replace(QLatin1Char('\n'), QStringLiteral("  ·  "));
    }
    case EventsColumn:
        return alert.eventCount;
    case FirstSeenColumn:
        return formatTimestamp(alert.firstSeenMs);
    case LastSeenColumn:
        return formatTimestamp(alert.lastSeenMs);
    case AssigneeColumn:
        return displayText(alert.assignee);
    default:
        return QVariant();
    }
}

// One line per entity field: addresses first, then user names, then the rest.
QString AlertTableModel::entitiesText(const Alert &alert) const
{
    QStringList keys;
    for (const char *field : LeadingEntityFields) {
        if (alert.entities.contains(QLatin1String(field)))
            keys << QLatin1String(field);
    }
    for (auto it = alert.entities.cbegin(); it != alert.entities.cend(); ++it) {
        if (!keys.contains(it.key()))
            keys << it.key();
    }

    QStringList lines;
    for (const QString &key : keys) {
        const QStringList &values = alert.entities.value(key);
        if (values.isEmpty())
            continue;
        const QString shown = displayValues(values, MaxValuesPerField);
        if (key == QLatin1String("source.ip"))
            lines << shown;
        else
            lines << tr("%1: %2").arg(displayText(key), shown);
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant AlertTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QVariant();

    if (role == Qt::ToolTipRole && !isSortable(section))
        return tr("This column cannot be sorted");
    if (role != Qt::DisplayRole)
        return QVariant();

    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case StatusColumn:
        return tr("Status");
    case TitleColumn:
        return tr("Title");
    case RuleColumn:
        return tr("Rule");
    case EntitiesColumn:
        return tr("Source / entities");
    case EventsColumn:
        return tr("Events");
    case FirstSeenColumn:
        return tr("First seen (UTC)");
    case LastSeenColumn:
        return tr("Last seen (UTC)");
    case AssigneeColumn:
        return tr("Assignee");
    default:
        return QVariant();
    }
}

bool AlertTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_fetchedRows < m_ids.size();
}

void AlertTableModel::fetchMore(const QModelIndex &parent)
{
    // A view or model tester that reacts to rowsInserted or modelReset may
    // request more rows while that change is still being announced. A later
    // call serves the request.
    if (m_fetching || !canFetchMore(parent))
        return;

    m_fetching = true;
    const int count = qMin(m_pageSize, int(m_ids.size()) - m_fetchedRows);
    beginInsertRows(QModelIndex(), m_fetchedRows, m_fetchedRows + count - 1);
    m_fetchedRows += count;
    endInsertRows();
    m_fetching = false;
}

bool AlertTableModel::isSortable(int column)
{
    return column >= 0 && column < ColumnCount && column != EntitiesColumn;
}

void AlertTableModel::sort(int column, Qt::SortOrder order)
{
    if (!isSortable(column))
        return;

    const bool ascending = order == Qt::AscendingOrder;
    if (column == m_sortColumn && ascending == m_query.ascending)
        return;

    m_sortColumn = column;
    m_query.sortKey = sortKeyForColumn(column);
    m_query.ascending = ascending;
    requery(false);
}

void AlertTableModel::setPageSize(int rows)
{
    m_pageSize = qMax(1, rows);
    requery(false);
}

void AlertTableModel::setSeverityFilter(const QSet<Severity> &severities)
{
    if (severities == m_query.severities)
        return;
    m_query.severities = severities;
    requery(false);
}

void AlertTableModel::setStatusFilter(const QSet<AlertStatus> &statuses)
{
    if (statuses == m_query.statuses)
        return;
    m_query.statuses = statuses;
    requery(false);
}

void AlertTableModel::setTextFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_query.text)
        return;
    m_query.text = trimmed;
    requery(false);
}

qint64 AlertTableModel::alertId(int row) const
{
    return row >= 0 && row < m_fetchedRows ? m_ids.at(row) : 0;
}

int AlertTableModel::rowOfAlert(qint64 alertId)
{
    const int row = int(m_ids.indexOf(alertId));
    if (row < 0)
        return -1;

    while (row >= m_fetchedRows)
        fetchMore(QModelIndex());
    return row;
}

const Alert *AlertTableModel::alertAt(int row) const
{
    return row >= 0 && row < m_fetchedRows ? loadRow(row) : nullptr;
}

void AlertTableModel::refresh()
{
    requery(true);
}

void AlertTableModel::requery(bool keepFetchedRows)
{
    AlertQuery idQuery = m_query;
    idQuery.offset = 0;
    idQuery.limit = -1;

    QString error;
    QVector<qint64> ids = m_service.queryAlertIds(m_identity, idQuery, &error);

    m_pages.clear();
    m_pageOrder.clear();

    // Same rows in the same order: repaint them and leave the selection alone.
    if (keepFetchedRows && error.isEmpty() && ids == m_ids) {
        if (m_fetchedRows > 0)
            Q_EMIT dataChanged(index(0, 0), index(m_fetchedRows - 1, ColumnCount - 1));
        Q_EMIT queryChanged();
        return;
    }

    Q_EMIT queryAboutToChange();
    m_fetching = true; // no fetchMore() from slots while the reset is announced
    beginResetModel();
    m_ids = error.isEmpty() ? std::move(ids) : QVector<qint64>();
    const int wanted = keepFetchedRows ? qMax(m_fetchedRows, m_pageSize) : m_pageSize;
    m_fetchedRows = qMin(wanted, int(m_ids.size()));
    m_lastError = error;
    endResetModel();
    m_fetching = false;
    Q_EMIT queryChanged();

    if (!error.isEmpty())
        Q_EMIT queryFailed(error);
}

const Alert *AlertTableModel::loadRow(int row) const
{
    const int page = row / m_pageSize;
    auto it = m_pages.constFind(page);
    if (it == m_pages.constEnd()) {
        loadPage(page);
        it = m_pages.constFind(page);
    }
    const int offset = row - page * m_pageSize;
    return offset < it->size() ? &it->at(offset) : nullptr;
}

// Loads one page in one query. An alert whose sort key changed since the id
// query ran (an import updated it) is missing from that page, so it is
// fetched by id instead, and the row keeps its place until the next refresh.
void AlertTableModel::loadPage(int page) const
{
    const int first = page * m_pageSize;
    const int last = qMin(first + m_pageSize, int(m_ids.size()));

    AlertQuery pageQuery = m_query;
    pageQuery.offset = first;
    pageQuery.limit = last - first;
    QString error;
    QVector<Alert> found = m_service.queryAlerts(m_identity, pageQuery, &error);
    if (!error.isEmpty())
        reportError(error);

    QHash<qint64, int> indexById;
    for (int i = 0; i < found.size(); ++i)
        indexById.insert(found.at(i).id, i);

    QVector<Alert> alerts;
    alerts.reserve(last - first);
    for (int row = first; row < last; ++row) {
        const qint64 id = m_ids.at(row);
        const auto it = indexById.constFind(id);
        std::optional<Alert> alert;
        if (it != indexById.constEnd())
            alert = std::move(found[it.value()]);
        else
            alert = m_service.alert(m_identity, id, &error);
        if (!alert) {
            alert = Alert();
            alert->id = id;
            alert->title = tr("Alert %1 no longer exists; refresh the list (F5)").arg(id);
        }
        alert->evidence.clear(); // the detail pane loads evidence itself
        alerts.append(std::move(*alert));
    }

    m_pages.insert(page, alerts);
    m_pageOrder.append(page);
    while (m_pageOrder.size() > MaxCachedPages)
        m_pages.remove(m_pageOrder.takeFirst());
}

// Reports a failure seen while painting on the next event-loop turn, so that
// a slot showing a message box does not run inside data().
void AlertTableModel::reportError(const QString &message) const
{
    if (message == m_lastError)
        return;
    m_lastError = message;

    auto *self = const_cast<AlertTableModel *>(this);
    QTimer::singleShot(0, self, [self, message] { Q_EMIT self->queryFailed(message); });
}

} // namespace portcullis
