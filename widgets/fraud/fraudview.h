// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/review.h"
#include "security/identity.h"

#include <QWidget>

class QBarCategoryAxis;
class QBarSet;
class QCheckBox;
class QChart;
class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;
class QValueAxis;

namespace portcullis {

class FraudReviewModel;

// The Fraud view: the review queue of payments the engine sent to review or
// block, the selected payment's score, reasons, rule hits and customer
// history, the review decisions (approve, refund, block card, block
// customer), the score distribution and decisions over time, and the
// model-quality figures. Every figure comes from the store; with none there
// yet, the view says what to run to get them.
class FraudView : public QWidget {
    Q_OBJECT

public:
    explicit FraudView(FraudReviewModel *model, QWidget *parent = nullptr);

    FraudReviewModel *model() const { return m_model; }
    QTableView *queueView() const { return m_queue; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *detailLabel() const { return m_detail; }
    QLabel *qualityLabel() const { return m_quality; }
    QBarSet *scoreSet() const { return m_scoreSet; }
    QList<QBarSet *> actionSets() const { return m_actionSets; }
    QPushButton *decisionButton(fraud::ReviewOutcome outcome) const;

    void selectRow(int row);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *createQueue();
    QWidget *createDetail();
    QWidget *createCharts();
    QChart *createScoreChart();
    QChart *createTimeChart();
    void refresh();
    void updateSummary();
    void updateCharts();
    void updateQuality();
    void updateDetail();
    void updateButtons();
    void decide(fraud::ReviewOutcome outcome);
    int currentRow() const;

    FraudReviewModel *m_model;
    QLabel *m_summary = nullptr;
    QTableView *m_queue = nullptr;
    QCheckBox *m_showReviewed = nullptr;
    QList<QPushButton *> m_buttons;  // in ReviewOutcome order
    QLabel *m_detail = nullptr;
    QTableWidget *m_history = nullptr;
    QLabel *m_quality = nullptr;
    QBarSet *m_scoreSet = nullptr;
    QBarCategoryAxis *m_scoreAxis = nullptr;
    QValueAxis *m_scoreValues = nullptr;
    QList<QBarSet *> m_actionSets;  // allow, review, block
    QBarCategoryAxis *m_timeAxis = nullptr;
    QValueAxis *m_timeValues = nullptr;
    QTimer *m_timer = nullptr;
};

// The Fraud view over its own model and database connection, for the main
// window's tabs.
FraudView *createFraudView(const QString &databasePath, const Identity &identity,
                           QWidget *parent);

} // namespace portcullis
