// SPDX-License-Identifier: GPL-3.0-or-later
// Scoring throughput of FraudEngine (features, tree walk, rules, reasons) on
// one core over the handbook's test week, after the earlier weeks have been
// fed untimed as history. A decision carries its reasons as feature indexes
// and values. The runs "in words" also time DecisionReason::text() for every
// reason, as showing, storing or printing each decision does.
#include "fraud/evaluation.h"
#include "fraud/fraudengine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <cstring>

#include <time.h>

using namespace portcullis::fraud;

namespace {

const char DefaultRules[] = "request_3ds if :amount_in_usd: > 500\n"
                            "allow if :card_fingerprint: in @trusted_cards\n"
                            "block if :card_country: != :ip_country: and :amount_in_usd: > 200\n"
                            "block if :amount_to_payer_mean_ratio: > 4 and :payer_payment_count: > 5\n"
                            "review if :declined_charges_per_ip_address_hourly: > 5\n"
                            "review if :merchant_fraud_rate_28d: > 0.2\n";

double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Run
{
    double seconds = 0;     // wall clock
    double cpuSeconds = 0;  // CPU time of this thread
    qint64 payments = 0;
    qint64 blocked = 0;
    qint64 reasonCharacters = 0;  // length of the reason texts made, so none is skipped
};

// The work a timed run does per payment.
enum class Work { Features, Decision, DecisionWithWords };

// The timed loop, in its own function so that a profiler can count it
// alone (callgrind --toggle-collect='*scoreTestWeek*').
Q_NEVER_INLINE Run scoreTestWeek(FraudEngine &engine, const std::vector<PaymentRecord> &records,
    size_t first, qint64 testToMs, Work work)
{
    Run run;
    FeatureVector features;
    for (size_t i = first; i < records.size() && records[i].timeMs < testToMs; ++i) {
        if (work == Work::Features) {
            engine.extractor().process(records[i], &features);
        } else {
            const Decision d = engine.process(records[i]);
            run.blocked += d.action == FraudAction::Block ? 1 : 0;
            if (work == Work::DecisionWithWords) {
                for (const DecisionReason &reason : d.reasons)
                    run.reasonCharacters += reason.text().size();
            }
        }
        ++run.payments;
    }
    return run;
}

Run runOnce(const std::vector<PaymentRecord> &records, qint64 testFromMs, qint64 testToMs,
    const TreeModel &model, const RuleSet &rules, int reasonCount, Work work)
{
    FraudSettings settings;
    settings.reasonCount = reasonCount;
    FraudEngine engine(settings);
    engine.setModel(model);
    engine.setRules(rules);
    size_t i = 0;
    for (; i < records.size() && records[i].timeMs < testFromMs; ++i)
        engine.extractor().process(records[i], nullptr);

    QElapsedTimer timer;
    timer.start();
    const double cpuStart = threadCpuSeconds();
    Run run = scoreTestWeek(engine, records, i, testToMs, work);
    run.cpuSeconds = threadCpuSeconds() - cpuStart;
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    return run;
}

// The bits of a float as hex, so NaN and rounding differences show.
QByteArray floatBits(float value)
{
    quint32 bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return QByteArray::number(bits, 16);
}

// One line per test-week payment: id, score, probability, action, rules,
// reasons in words with their exact values, and every feature's bits.
QByteArray decisionLine(const Decision &d, const FeatureVector &features)
{
    QByteArray line = d.paymentId + ' ' + QByteArray::number(d.score) + ' '
        + QByteArray::number(d.probability, 'g', 17) + ' ' + fraudActionName(d.action).toUtf8()
        + ' ' + d.decidedBy.toUtf8() + (d.requestThreeDSecure ? " 3ds" : " -");
    for (const RuleHit &hit : d.ruleHits)
        line += " rule:" + QByteArray::number(hit.line);
    for (const DecisionReason &reason : d.reasons)
        line += " | " + reason.featureName().toUtf8() + ' ' + floatBits(reason.value) + ' '
            + floatBits(reason.contribution) + ' ' + reason.text().toUtf8();
    line += " |";
    for (float value : features)
        line += ' ' + floatBits(value);
    return line + '\n';
}

// Writes decisionLine() for every payment of the test week, so two builds
// can be compared with cmp.
bool dumpDecisions(const QString &path, const std::vector<PaymentRecord> &records,
    qint64 testFromMs, qint64 testToMs, const TreeModel &model, const RuleSet &rules)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        QTextStream(stderr) << "fraud_bench: cannot write " << path << ": " << file.errorString()
                            << '\n';
        return false;
    }
    FraudEngine engine;
    engine.setModel(model);
    engine.setRules(rules);
    FeatureVector features;
    for (const PaymentRecord &record : records) {
        if (record.timeMs >= testToMs)
            break;
        if (record.timeMs < testFromMs) {
            engine.extractor().process(record, nullptr);
            continue;
        }
        features.fill(0);
        const Decision d = engine.process(record, &features);
        file.write(decisionLine(d, features));
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fraud scoring throughput on the handbook test week."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("data"), QStringLiteral("Folder with the handbook files."),
        QStringLiteral("dir"), QStringLiteral(PORTCULLIS_DATA_DIR "/fraud")});
    parser.addOption({QStringLiteral("model"), QStringLiteral("Model file (default: train one)."),
        QStringLiteral("file")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Timed runs (default 5)."),
        QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("reasons"),
        QStringLiteral("Reasons per decision to time, comma-separated; -1 times the features "
                       "alone (default 3,0,-1). A count above 0 is timed twice: the decision "
                       "with its reasons as feature indexes, then with the reasons in words."),
        QStringLiteral("list"), QStringLiteral("3,0,-1")});
    parser.addOption({QStringLiteral("dump"),
        QStringLiteral("Write every test-week decision and its features to this file, untimed, "
                       "and exit."),
        QStringLiteral("file")});
    parser.process(app);

    const QString dir = parser.value(QStringLiteral("data"));
    const QStringList files = {dir + QStringLiteral("/handbook_sim_warmup_2018-06-18_to_2018-07-05.csv.gz"),
        dir + QStringLiteral("/handbook_sim_warmup_2018-07-06_to_2018-07-24.csv.gz"),
        dir + QStringLiteral("/handbook_sim_2018-07-25_to_2018-08-14.csv.gz")};
    std::vector<PaymentRecord> records;
    QString error;
    if (!loadHandbookFiles(files, &records, &error)) {
        QTextStream(stderr) << "fraud_bench: " << error << '\n';
        return 1;
    }
    HandbookProtocol protocol;
    TreeModel model;
    if (parser.isSet(QStringLiteral("model"))) {
        if (!model.load(parser.value(QStringLiteral("model")), &error)) {
            QTextStream(stderr) << "fraud_bench: " << error << '\n';
            return 1;
        }
    } else {
        const HandbookRows rows = extractHandbookRows(records, protocol, FeatureSettings());
        TrainingSummary summary;
        TrainOptions options;
        options.threads = 2;
        if (!trainOnHandbook(rows, protocol, options, &model, &summary, &error)) {
            QTextStream(stderr) << "fraud_bench: " << error << '\n';
            return 1;
        }
    }
    RuleSet rules;
    RuleSyntaxError syntax;
    rules.parse(QString::fromLatin1(DefaultRules), &syntax);
    rules.setList(QStringLiteral("trusted_cards"), {QStringLiteral("1"), QStringLiteral("2")});

    const qint64 testFrom = protocol.dayStartMs(protocol.trainDays + protocol.delayDays);
    const qint64 testTo = protocol.dayStartMs(protocol.trainDays + protocol.delayDays + protocol.testDays);
    if (parser.isSet(QStringLiteral("dump"))) {
        const bool written = dumpDecisions(parser.value(QStringLiteral("dump")), records, testFrom,
            testTo, model, rules);
        return written ? 0 : 1;
    }
    const int runs = qMax(1, parser.value(QStringLiteral("runs")).toInt());
    out << "model: " << model.treeCount() << " trees; rules: " << rules.rules().size() << '\n';
    // Reason count -1 computes the features alone.
    QList<int> reasonCounts;
    for (const QString &count : parser.value(QStringLiteral("reasons")).split(QLatin1Char(','))) {
        bool ok = false;
        reasonCounts.append(count.toInt(&ok));
        if (!ok || reasonCounts.back() < -1 || reasonCounts.back() > 10) {
            QTextStream(stderr) << "fraud_bench: invalid --reasons value '" << count
                                << "'; expected numbers from -1 to 10, such as 3,0,-1\n";
            return 1;
        }
    }
    for (int reasons : reasonCounts) {
        QList<Work> works;
        if (reasons < 0)
            works = {Work::Features};
        else if (reasons == 0)
            works = {Work::Decision};
        else
            works = {Work::Decision, Work::DecisionWithWords};
        for (Work work : works) {
            std::vector<double> rates, cpuRates;
            Run last;
            for (int r = 0; r < runs; ++r) {
                last = runOnce(records, testFrom, testTo, model, rules, reasons, work);
                rates.push_back(double(last.payments) / last.seconds);
                cpuRates.push_back(double(last.payments) / last.cpuSeconds);
            }
            std::sort(rates.begin(), rates.end());
            std::sort(cpuRates.begin(), cpuRates.end());
            const QString reasonForm = reasons <= 0 ? QString()
                : work == Work::Decision     ? QStringLiteral(" as codes")
                                             : QStringLiteral(" in words");
            out << QStringLiteral("reasons per decision %1%2: %3 payments, %4 blocked; per CPU "
                                  "second: median %5, best %6 payments/s; per wall-clock second: "
                                  "median %7 payments/s (%8 runs)\n")
                       .arg(reasons).arg(reasonForm).arg(last.payments).arg(last.blocked)
                       .arg(cpuRates[cpuRates.size() / 2], 0, 'f', 0).arg(cpuRates.back(), 0, 'f', 0)
                       .arg(rates[rates.size() / 2], 0, 'f', 0).arg(runs);
            out.flush();
        }
    }
    return 0;
}
