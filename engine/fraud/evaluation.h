// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/features.h"
#include "fraud/metrics.h"
#include "fraud/trainer.h"
#include "fraud/treemodel.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>

#include <map>
#include <set>
#include <vector>

namespace portcullis::fraud {

// The handbook's protocol: train on one week, wait out the label delay and
// test on the week after. Each test day leaves out the cards already known
// to be compromised: frauds in the training week, and frauds up to the day
// before the test day minus the delay.
struct HandbookProtocol
{
    QDate trainStart = QDate(2018, 7, 25);
    int trainDays = 7;
    int delayDays = 7;
    int testDays = 7;
    // The last days of the training week are held out to fit the calibration
    // and choose the thresholds; the trees learn from the days before.
    int calibrationDays = 2;
    // Days before the training week whose rows the trees also learn from
    // (their labels are older still, so no label comes later than the
    // delay allows). 0 keeps the handbook's one training week.
    int historyTrainDays = 0;

    qint64 dayStartMs(int dayOffset) const;  // UTC midnight of trainStart + dayOffset
};

// Feature rows of the training and test weeks, computed by streaming every
// record (history included) through one FeatureExtractor in time order.
struct HandbookRows
{
    std::vector<FeatureVector> train, test;
    std::vector<const PaymentRecord *> trainRecords, testRecords;
    // Cards with a fraud on each day (days since the epoch) from the start
    // of training to the end of the test week.
    std::map<int, std::set<quint64>> fraudCardsByDay;
};

// Reads and merges handbook CSV files, sorted by time (then transaction id).
bool loadHandbookFiles(const QStringList &paths, std::vector<PaymentRecord> *records, QString *error);

HandbookRows extractHandbookRows(const std::vector<PaymentRecord> &records,
    const HandbookProtocol &protocol, const FeatureSettings &settings);

struct TrainingSummary
{
    qint64 fitRows = 0, fitFrauds = 0, calibrationRows = 0, calibrationFrauds = 0;
    double calibrationAveragePrecision = 0;  // on the held-out days, for choosing parameters
    int rounds = 0;                          // boosting rounds kept after early stopping
    CalibrationComparison brier;             // cross-validated on the held-out days
    CalibrationMethod calibration = CalibrationMethod::Platt;  // the method fitted
};

// Fits the trees on the training days, stopping early on the held-out days
// when the options ask for it. Then fits the calibration and chooses the
// thresholds on the held-out days.
bool trainOnHandbook(const HandbookRows &rows, const HandbookProtocol &protocol,
    const TrainOptions &options, TreeModel *model, TrainingSummary *summary, QString *error);

struct EvaluationFigures
{
    qint64 testTransactions = 0, testFrauds = 0, removedKnownCards = 0;
    double rocAuc = 0, averagePrecision = 0, cardPrecisionAt100 = 0;
    std::vector<std::pair<double, OperatingPoint>> recallAtFpr;  // (max FPR, point)
    int blockThreshold = 0;
    OperatingPoint confusion;  // at the block threshold on the 0..99 score

    // The `fraud evaluate --json` object: roc_auc, average_precision,
    // card_precision_at_100, recall_at_fpr, confusion_matrix and sizes.
    QJsonObject toJson() const;
};

// Scores the test week with `model` and computes the figures. The ranking
// figures (ROC AUC, average precision, card precision@100, recall at a
// false-positive rate) order payments by the trees' margin. That is the
// order of the calibrated probabilities, except that the margin also
// separates payments that an isotonic calibration maps to one probability.
EvaluationFigures evaluateOnHandbook(const HandbookRows &rows, const HandbookProtocol &protocol,
    const TreeModel &model);

} // namespace portcullis::fraud
