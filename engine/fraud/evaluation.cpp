// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/evaluation.h"

#include "fraud/handbook.h"

#include <QJsonArray>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace portcullis::fraud {

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;
const double FalsePositiveRates[] = {0.0005, 0.001, 0.01};

int dayOf(qint64 timeMs)
{
    return int(timeMs / DayMs);
}

QJsonObject pointJson(const OperatingPoint &point)
{
    return QJsonObject{{QStringLiteral("threshold"), point.threshold},
        {QStringLiteral("false_positive_rate"), point.falsePositiveRate},
        {QStringLiteral("recall"), point.recall}, {QStringLiteral("precision"), point.precision},
        {QStringLiteral("true_positives"), point.truePositives},
        {QStringLiteral("false_positives"), point.falsePositives},
        {QStringLiteral("true_negatives"), point.trueNegatives},
        {QStringLiteral("false_negatives"), point.falseNegatives}};
}

// The lowest integer score whose false-positive rate on the held-out days
// stays at or under `rate`, at least 1.
int thresholdForRate(const std::vector<double> &scores, const std::vector<int> &labels, double rate)
{
    const OperatingPoint point = pointAtFalsePositiveRate(scores, labels, rate);
    return std::isfinite(point.threshold) ? std::clamp(int(point.threshold), 1, 99) : 99;
}

// Fits the requested calibration, or the one with the lower cross-validated
// Brier score, on the held-out margins. Without a fraud among them the
// calibration stays Platt with a = 1, b = 0.
void fitCalibration(const std::vector<float> &margins, const std::vector<float> &labels,
    const TrainOptions &options, TreeModel *model, TrainingSummary *summary)
{
    if (summary->calibrationFrauds == 0) {
        model->setCalibration(1, 0);
        summary->calibration = CalibrationMethod::Platt;
        return;
    }
    summary->brier = compareCalibrations(margins, labels);
    summary->calibration = options.calibrationMethod.value_or(summary->brier.better());
    model->setCalibration(summary->calibration == CalibrationMethod::Isotonic
            ? Calibration::fitIsotonic(margins, labels)
            : Calibration::fitPlatt(margins, labels));
}

} // namespace

qint64 HandbookProtocol::dayStartMs(int dayOffset) const
{
    return QDateTime(trainStart.addDays(dayOffset), QTime(0, 0), QTimeZone::utc())
        .toMSecsSinceEpoch();
}

bool loadHandbookFiles(const QStringList &paths, std::vector<PaymentRecord> *records, QString *error)
{
    for (const QString &path : paths) {
        if (!readHandbookCsv(path, records, error))
            return false;
    }
    std::stable_sort(records->begin(), records->end(),
        [](const PaymentRecord &a, const PaymentRecord &b) {
            if (a.timeMs != b.timeMs)
                return a.timeMs < b.timeMs;
            return a.id.size() != b.id.size() ? a.id.size() < b.id.size() : a.id < b.id;
        });
    return true;
}

HandbookRows extractHandbookRows(const std::vector<PaymentRecord> &records,
    const HandbookProtocol &protocol, const FeatureSettings &settings)
{
    const qint64 trainFrom = protocol.dayStartMs(-protocol.historyTrainDays);
    const qint64 trainTo = protocol.dayStartMs(protocol.trainDays);
    const qint64 testFrom = protocol.dayStartMs(protocol.trainDays + protocol.delayDays);
    const qint64 testTo = protocol.dayStartMs(protocol.trainDays + protocol.delayDays + protocol.testDays);

    HandbookRows rows;
    FeatureExtractor extractor(settings);
    FeatureVector features;
    for (const PaymentRecord &record : records) {
        if (record.timeMs >= testTo)
            break;
        const bool train = record.timeMs >= trainFrom && record.timeMs < trainTo;
        const bool test = record.timeMs >= testFrom;
        extractor.process(record, train || test ? &features : nullptr);
        if (record.timeMs >= protocol.dayStartMs(0) && record.label == 1)
            rows.fraudCardsByDay[dayOf(record.timeMs)].insert(record.key(EntityKind::Card));
        if (train) {
            rows.train.push_back(features);
            rows.trainRecords.push_back(&record);
        } else if (test) {
            rows.test.push_back(features);
            rows.testRecords.push_back(&record);
        }
    }
    return rows;
}

bool trainOnHandbook(const HandbookRows &rows, const HandbookProtocol &protocol,
    const TrainOptions &options, TreeModel *model, TrainingSummary *summary, QString *error)
{
    const qint64 calibrationFrom = protocol.dayStartMs(protocol.trainDays - protocol.calibrationDays);
    std::vector<FeatureVector> fitRows, calibrationRows;
    std::vector<float> fitLabels, calibrationLabels;
    for (size_t i = 0; i < rows.train.size(); ++i) {
        const PaymentRecord &record = *rows.trainRecords[i];
        const bool calibration = record.timeMs >= calibrationFrom;
        (calibration ? calibrationRows : fitRows).push_back(rows.train[i]);
        (calibration ? calibrationLabels : fitLabels).push_back(record.label == 1 ? 1.f : 0.f);
    }
    summary->fitRows = qint64(fitRows.size());
    summary->fitFrauds = std::count(fitLabels.begin(), fitLabels.end(), 1.f);
    summary->calibrationRows = qint64(calibrationRows.size());
    summary->calibrationFrauds = std::count(calibrationLabels.begin(), calibrationLabels.end(), 1.f);

    ValidationSet validation{&calibrationRows, &calibrationLabels};
    const bool validate = !calibrationRows.empty() && summary->calibrationFrauds > 0;
    if (!trainModel(fitRows, fitLabels, options, model, nullptr, error,
            validate ? &validation : nullptr))
        return false;
    summary->rounds = model->treeCount();

    std::vector<float> margins;
    for (const FeatureVector &row : calibrationRows)
        margins.push_back(model->margin(row));
    fitCalibration(margins, calibrationLabels, options, model, summary);

    std::vector<double> scores;
    std::vector<int> labels;
    for (size_t i = 0; i < margins.size(); ++i) {
        scores.push_back(TreeModel::scoreFromProbability(model->probability(margins[i])));
        labels.push_back(calibrationLabels[i] > 0.5f ? 1 : 0);
    }
    summary->calibrationAveragePrecision
        = averagePrecision(std::vector<double>(margins.begin(), margins.end()), labels);
    model->blockThreshold = thresholdForRate(scores, labels, 0.001);
    model->reviewThreshold = std::min(model->blockThreshold, thresholdForRate(scores, labels, 0.01));
    return true;
}

EvaluationFigures evaluateOnHandbook(const HandbookRows &rows, const HandbookProtocol &protocol,
    const TreeModel &model)
{
    // Cards known compromised: frauds in the training week, then for test
    // day d also the frauds of day trainDays + d - 1.
    const int firstTrainDay = dayOf(protocol.dayStartMs(0));
    std::set<quint64> known;
    for (int day = firstTrainDay; day < firstTrainDay + protocol.trainDays; ++day) {
        const auto it = rows.fraudCardsByDay.find(day);
        if (it != rows.fraudCardsByDay.end())
            known.insert(it->second.begin(), it->second.end());
    }
    std::vector<std::set<quint64>> knownByTestDay(size_t(protocol.testDays));
    for (int d = 0; d < protocol.testDays; ++d) {
        const auto it = rows.fraudCardsByDay.find(firstTrainDay + protocol.trainDays + d - 1);
        if (it != rows.fraudCardsByDay.end())
            known.insert(it->second.begin(), it->second.end());
        knownByTestDay[size_t(d)] = known;
    }
    EvaluationFigures figures;
    std::vector<double> margins;
    std::vector<int> labels, days;
    std::vector<quint64> cards;
    std::vector<double> scores;
    const int firstTestDay = firstTrainDay + protocol.trainDays + protocol.delayDays;
    for (size_t i = 0; i < rows.test.size(); ++i) {
        const PaymentRecord &record = *rows.testRecords[i];
        const int d = dayOf(record.timeMs) - firstTestDay;
        if (d < 0 || d >= protocol.testDays)
            continue;
        if (knownByTestDay[size_t(d)].count(record.key(EntityKind::Card))) {
            ++figures.removedKnownCards;
            continue;
        }
        const float margin = model.margin(rows.test[i]);
        margins.push_back(margin);
        scores.push_back(TreeModel::scoreFromProbability(model.probability(margin)));
        labels.push_back(record.label == 1 ? 1 : 0);
        days.push_back(d);
        cards.push_back(record.key(EntityKind::Card));
    }
    figures.testTransactions = qint64(labels.size());
    figures.testFrauds = std::count(labels.begin(), labels.end(), 1);
    figures.rocAuc = rocAuc(margins, labels);
    figures.averagePrecision = averagePrecision(margins, labels);
    figures.cardPrecisionAt100 = cardPrecisionAtK(days, cards, margins, labels, 100);
    for (double rate : FalsePositiveRates) {
        OperatingPoint point = pointAtFalsePositiveRate(margins, labels, rate);
        // Report the threshold as the calibrated probability at that margin.
        if (std::isfinite(point.threshold))
            point.threshold = model.probability(float(point.threshold));
        figures.recallAtFpr.push_back({rate, point});
    }
    figures.blockThreshold = model.blockThreshold;
    figures.confusion = pointAtThreshold(scores, labels, model.blockThreshold);
    return figures;
}

QJsonObject EvaluationFigures::toJson() const
{
    QJsonObject recall;
    for (const auto &[rate, point] : recallAtFpr)
        recall.insert(QString::number(rate), pointJson(point));
    QJsonObject confusionMatrix = pointJson(confusion);
    confusionMatrix.insert(QStringLiteral("score_threshold"), blockThreshold);
    return QJsonObject{{QStringLiteral("roc_auc"), rocAuc},
        {QStringLiteral("average_precision"), averagePrecision},
        {QStringLiteral("card_precision_at_100"), cardPrecisionAt100},
        {QStringLiteral("recall_at_fpr"), recall},
        {QStringLiteral("confusion_matrix"), confusionMatrix},
        {QStringLiteral("test_transactions"), testTransactions},
        {QStringLiteral("test_frauds"), testFrauds},
        {QStringLiteral("removed_known_compromised"), removedKnownCards}};
}

} // namespace portcullis::fraud
