// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "respond/alertservice.h"
#include "security/identity.h"
#include "store/store.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QVector>

namespace portcullis {

// The alert list as a table. Filtering and sorting run in SQLite through
// AlertService: the model keeps the ordered ids of every matching alert,
// shows them a page at a time (canFetchMore/fetchMore), and loads the
// details of a page only when a view requests one of its cells. Loaded pages
// sit in a bounded cache, so memory stays flat however far the view scrolls.
class AlertTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        SeverityColumn,
        StatusColumn,
        TitleColumn,
        RuleColumn,
        EntitiesColumn,
        EventsColumn,
        FirstSeenColumn,
        LastSeenColumn,
        AssigneeColumn,
        ColumnCount
    };

    enum Role {
        AlertIdRole = Qt::UserRole + 1, // qint64
        SeverityRole, // int value of Severity
        StatusRole, // int value of AlertStatus
    };

    static constexpr int DefaultPageSize = 200;
    static constexpr int MaxCachedPages = 64;

    AlertTableModel(AlertService &service, const Identity &identity, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    static bool isSortable(int column);
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const
    {
        return m_query.ascending ? Qt::AscendingOrder : Qt::DescendingOrder;
    }

    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }

    // Each setter re-runs the query when the value changes.
    void setSeverityFilter(const QSet<Severity> &severities);
    void setStatusFilter(const QSet<AlertStatus> &statuses);
    void setTextFilter(const QString &text);
    AlertQuery query() const { return m_query; }

    // Alerts matching the current filter, including rows not fetched yet.
    int matchingCount() const { return int(m_ids.size()); }
    qint64 alertId(int row) const;
    // The row of an alert, fetching more pages when it lies beyond the
    // fetched rows; -1 when the alert does not match the current filter.
    int rowOfAlert(qint64 alertId);
    // The alert shown in a row as last loaded, or nullptr for an invalid row.
    const Alert *alertAt(int row) const;
    QString lastError() const { return m_lastError; }

public Q_SLOTS:
    // Re-runs the query and keeps the fetched row count, so the view keeps its
    // scroll position. Unchanged ids only repaint the rows and the selection
    // stays. Otherwise the model resets between queryAboutToChange() and
    // queryChanged(), where views restore the selection.
    void refresh();

Q_SIGNALS:
    // Emitted before a re-query resets the model, and after it.
    void queryAboutToChange();
    void queryChanged();
    void queryFailed(const QString &message);

private:
    void requery(bool keepFetchedRows);
    const Alert *loadRow(int row) const;
    void loadPage(int page) const;
    QString entitiesText(const Alert &alert) const;
    QVariant displayData(const Alert &alert, int column) const;
    void reportError(const QString &message) const;

    AlertService &m_service;
    Identity m_identity;
    AlertQuery m_query;
    // Highest severity first by default, so the most urgent alerts are on top.
    int m_sortColumn = SeverityColumn;
    int m_pageSize = DefaultPageSize;

    QVector<qint64> m_ids; // every matching alert id, in query order
    int m_fetchedRows = 0;
    bool m_fetching = false;

    // Page index -> alerts of that page. m_pageOrder lists cached pages, least
    // recently loaded first.
    mutable QHash<int, QVector<Alert>> m_pages;
    mutable QList<int> m_pageOrder;
    mutable QString m_lastError;
};

} // namespace portcullis
