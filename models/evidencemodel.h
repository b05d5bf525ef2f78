// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"

#include <QAbstractTableModel>
#include <QVector>

namespace portcullis {

// The evidence events of one alert, oldest first. Every text cell comes from
// telemetry, so it passes through displayText() and views must show it as
// plain text.
class EvidenceModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        SourceColumn,
        UserColumn,
        ActionColumn,
        OutcomeColumn,
        LocationColumn,
        RawLineColumn,
        ColumnCount
    };

    explicit EvidenceModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEvents(const QVector<Event> &events);
    void clear();
    const QVector<Event> &events() const { return m_events; }

    // Returns the raw lines made safe with displayText(), one per file line:
    // events expanded from one line (message repeated N times) share it.
    QString rawLines() const;

private:
    QString cellText(const Event &event, int column) const;

    QVector<Event> m_events;
};

} // namespace portcullis
