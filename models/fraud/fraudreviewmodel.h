// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/fraudstore.h"
#include "fraud/review.h"
#include "fraud/reviewqueue.h"
#include "security/identity.h"
#include "store/database.h"

#include <QAbstractTableModel>
#include <QVector>

#include <optional>

namespace portcullis {

// The review queue of the Fraud view: payments the engine sent to review or
// block, newest first, read in pages as the view scrolls (fetchMore), so a
// store with 100,000 decisions costs one page at a time. Also reads the
// figures of the charts and the model-quality panel, and records review
// decisions through fraud::ReviewService. Uses its own connection to the
// database file.
class FraudReviewModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, ScoreColumn, ActionColumn, AmountColumn, CardColumn,
                  CustomerColumn, AddressColumn, AccountColumn, ReasonColumn, StatusColumn,
                  ColumnCount };
    static constexpr int PageSize = 200;

    FraudReviewModel(const QString &databasePath, const Identity &identity,
                     QObject *parent = nullptr);

    bool isOpen() const { return m_db.isOpen(); }
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    const fraud::ReviewItem *item(int row) const;
    void setShowReviewed(bool show);
    bool showReviewed() const { return m_showReviewed; }

    // Reads the first page of the queue and the figures again.
    void refresh();
    const fraud::DecisionOverview &overview() const { return m_overview; }
    const fraud::LaterLabelFigures &laterLabels() const { return m_laterLabels; }
    const std::optional<fraud::EvaluationRecord> &evaluation() const { return m_evaluation; }

    fraud::CustomerHistory history(int row);
    // Records a decision on the payment of `row`; false with lastError() set
    // when the permission is missing or the store refused.
    bool decide(int row, fraud::ReviewOutcome outcome, const QString &note);
    bool mayDecide(fraud::ReviewOutcome outcome) const;

Q_SIGNALS:
    void figuresChanged();
    void decisionFailed(const QString &message);

private:
    void loadPage(int offset, QList<fraud::ReviewItem> *items);
    QString statusText(const fraud::ReviewItem &item) const;

    Database m_db;
    Identity m_identity;
    QString m_lastError;
    QList<fraud::ReviewItem> m_items;
    bool m_more = false;
    bool m_showReviewed = false;
    fraud::DecisionOverview m_overview;
    fraud::LaterLabelFigures m_laterLabels;
    std::optional<fraud::EvaluationRecord> m_evaluation;
};

// "$1,234.50", with the locale's digit grouping.
QString fraudMoney(double amount);

} // namespace portcullis
