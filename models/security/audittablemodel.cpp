// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/audittablemodel.h"

#include <QDateTime>

namespace portcullis {

AuditTableModel::AuditTableModel(Database &db, const Identity &who, QObject *parent)
    : QAbstractTableModel(parent), m_db(db), m_who(who)
{
}

bool AuditTableModel::reload(const AuditFilter &filter, QString *errorMessage)
{
    QString error;
    QVector<AuditRecord> records = AuditLog(m_db).list(m_who, filter, &error);
    beginResetModel();
    m_records = std::move(records);
    endResetModel();
    if (errorMessage)
        *errorMessage = error;
    return error.isEmpty();
}

int AuditTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int AuditTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return QVariant();
    const AuditRecord &record = m_records.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == DetailsColumn)
        return record.details;
    if (role != Qt::DisplayRole)
        return QVariant();
    switch (index.column()) {
    case SeqColumn:
        return record.seq;
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(record.tsMs, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    case ActorColumn:
        return record.actor;
    case ActionColumn:
        return record.action;
    case TargetColumn:
        return record.target;
    case DetailsColumn:
        return record.details.left(500);
    }
    return QVariant();
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case SeqColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case ActorColumn:
        return tr("Actor");
    case ActionColumn:
        return tr("Action");
    case TargetColumn:
        return tr("Target");
    case DetailsColumn:
        return tr("Details");
    }
    return QVariant();
}

} // namespace portcullis
