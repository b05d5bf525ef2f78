// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QAbstractTableModel>
#include <QVector>

namespace portcullis {

// The triage history of one alert, oldest change first.
class HistoryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        ActorColumn,
        ActionColumn,
        StatusColumn,
        AssigneeColumn,
        DispositionColumn,
        NoteColumn,
        ColumnCount
    };

    explicit HistoryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEntries(const QVector<AlertHistoryEntry> &entries);
    void clear();
    const QVector<AlertHistoryEntry> &entries() const { return m_entries; }

private:
    QString cellText(const AlertHistoryEntry &entry, int column) const;

    QVector<AlertHistoryEntry> m_entries;
};

} // namespace portcullis
