// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/auditlog.h"

#include <QAbstractTableModel>

namespace portcullis {

// The audit trail as a table. It loads at most AuditFilter::limit records
// per query (the audit trail grows by a few records per user action, far
// slower than telemetry), and shows text as plain strings.
class AuditTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { SeqColumn, TimeColumn, ActorColumn, ActionColumn, TargetColumn, DetailsColumn,
                  ColumnCount };

    AuditTableModel(Database &db, const Identity &who, QObject *parent = nullptr);

    // Reloads with the filter; returns false and sets errorMessage when the
    // identity may not view the audit trail.
    bool reload(const AuditFilter &filter, QString *errorMessage);
    const QVector<AuditRecord> &records() const { return m_records; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    Database &m_db;
    Identity m_who;
    QVector<AuditRecord> m_records;
};

} // namespace portcullis
