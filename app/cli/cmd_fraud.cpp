// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli fraud train|evaluate|score|rules check; lists in cmd_fraudlists.cpp
#include "commands.h"
#include "fraudlists.h"
#include "signin.h"

#include "event/jsonparser.h"
#include "fraud/evaluation.h"
#include "fraud/fraudengine.h"
#include "fraud/fraudstore.h"
#include "fraud/handbook.h"
#include "security/identity.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace portcullis::cli {

using namespace portcullis::fraud;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

void addProtocolOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("train-start"),
        tr("First day of the training week (YYYY-MM-DD, default 2018-07-25)."), tr("date"),
        QStringLiteral("2018-07-25")});
    parser.addOption({QStringLiteral("label-delay"),
        tr("Days before a payment's fraud label may be used (default 7)."), tr("days"),
        QStringLiteral("7")});
    parser.addOption({QStringLiteral("rounds"),
        tr("Maximum boosting rounds (default 1000; early stopping usually ends sooner)."), tr("n"),
        QStringLiteral("1000")});
    parser.addOption({QStringLiteral("max-depth"), tr("Maximum tree depth (default 3)."), tr("n"),
        QStringLiteral("3")});
    parser.addOption({QStringLiteral("learning-rate"), tr("XGBoost learning rate, eta (default 0.1)."),
        tr("rate"), QStringLiteral("0.1")});
    parser.addOption({QStringLiteral("threads"), tr("XGBoost training threads (default 1)."),
        tr("n"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("early-stopping"),
        tr("Stop when the average precision on the held-out training days has not improved for "
           "this many rounds, and keep the best round; 0 trains every round (default 50)."),
        tr("rounds"), QStringLiteral("50")});
    parser.addOption({QStringLiteral("positive-weight"),
        tr("Weight of a fraud row against a genuine one, XGBoost scale_pos_weight (default 1)."),
        tr("weight"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("min-child-weight"),
        tr("XGBoost min_child_weight, the least hessian sum in a leaf (default 1)."),
        tr("weight"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("history-train-days"),
        tr("Days before the training week whose transactions the trees also learn from "
           "(default 0, the handbook's one week)."),
        tr("days"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("seed"),
        tr("Seed of XGBoost's row and column sampling (default 7); the same seed and files give "
           "the same model."),
        tr("n"), QStringLiteral("7")});
    parser.addOption({QStringLiteral("calibration"),
        tr("Calibration fitted on the held-out training days: platt or isotonic (default: the "
           "one with the lower cross-validated Brier score)."),
        tr("method")});
}

// Reads the options that tune XGBoost and the calibration.
bool readTrainOptions(const QCommandLineParser &parser, TrainOptions *options)
{
    bool stoppingOk = false, weightOk = false, childOk = false, seedOk = false;
    options->seed = parser.value(QStringLiteral("seed")).toInt(&seedOk);
    if (!seedOk || options->seed < 0) {
        err() << tr("fraud: invalid --seed '%1'; expected a whole number of 0 or more\n")
                     .arg(parser.value(QStringLiteral("seed")));
        return false;
    }
    options->earlyStoppingRounds = parser.value(QStringLiteral("early-stopping")).toInt(&stoppingOk);
    options->positiveWeight = parser.value(QStringLiteral("positive-weight")).toDouble(&weightOk);
    options->minChildWeight = parser.value(QStringLiteral("min-child-weight")).toDouble(&childOk);
    if (!stoppingOk || options->earlyStoppingRounds < 0 || !weightOk
        || !(options->positiveWeight > 0) || !childOk || options->minChildWeight < 0) {
        err() << tr("fraud: invalid --early-stopping, --positive-weight or --min-child-weight; "
                    "expected 0 or more rounds, a weight above 0 and a weight of 0 or more\n");
        return false;
    }
    if (parser.isSet(QStringLiteral("calibration"))) {
        const QString name = parser.value(QStringLiteral("calibration"));
        options->calibrationMethod = calibrationMethodFromName(name);
        if (!options->calibrationMethod) {
            err() << tr("fraud: invalid --calibration '%1'; expected platt or isotonic\n").arg(name);
            return false;
        }
    }
    return true;
}

bool readProtocol(const QCommandLineParser &parser, HandbookProtocol *protocol,
    TrainOptions *options, FeatureSettings *features)
{
    protocol->trainStart = QDate::fromString(parser.value(QStringLiteral("train-start")), Qt::ISODate);
    bool delayOk = false, roundsOk = false, depthOk = false, threadsOk = false;
    protocol->delayDays = parser.value(QStringLiteral("label-delay")).toInt(&delayOk);
    options->rounds = parser.value(QStringLiteral("rounds")).toInt(&roundsOk);
    options->maxDepth = parser.value(QStringLiteral("max-depth")).toInt(&depthOk);
    options->threads = parser.value(QStringLiteral("threads")).toInt(&threadsOk);
    bool rateOk = false;
    options->learningRate = parser.value(QStringLiteral("learning-rate")).toDouble(&rateOk);
    if (!protocol->trainStart.isValid() || !delayOk || protocol->delayDays < 0 || !roundsOk
        || options->rounds < 1 || !depthOk || options->maxDepth < 1 || options->maxDepth > 16
        || !threadsOk || options->threads < 1 || !rateOk || options->learningRate <= 0
        || options->learningRate > 1) {
        err() << tr("fraud: invalid --train-start, --label-delay, --rounds, --max-depth or "
                    "--threads or --learning-rate; expected a YYYY-MM-DD date, 0 or more days, 1 or "
                    "more rounds, a depth of 1 to 16, 1 or more threads and a rate in (0, 1]\n");
        return false;
    }
    features->labelDelayMs = qint64(protocol->delayDays) * 24 * 3600 * 1000;
    bool historyOk = false;
    protocol->historyTrainDays = parser.value(QStringLiteral("history-train-days")).toInt(&historyOk);
    if (!historyOk || protocol->historyTrainDays < 0 || protocol->historyTrainDays > 365) {
        err() << tr("fraud: invalid --history-train-days; expected 0 to 365 days\n");
        return false;
    }
    return readTrainOptions(parser, options);
}

// Checks the tuning options before any file is read, so that a bad value exits
// with ExitUsage. prepare() reads them again into the structures it uses.
bool tuningOptionsValid(const QCommandLineParser &parser)
{
    HandbookProtocol protocol;
    TrainOptions options;
    FeatureSettings features;
    return readProtocol(parser, &protocol, &options, &features);
}

// Loads the files, computes the feature rows and trains (or loads) a model.
bool prepare(const QCommandLineParser &parser, const QStringList &files,
    std::vector<PaymentRecord> *records, HandbookRows *rows, HandbookProtocol *protocol,
    TreeModel *model, const QString &modelPath, TrainingSummary *summary)
{
    TrainOptions options;
    FeatureSettings settings;
    if (!readProtocol(parser, protocol, &options, &settings))
        return false;
    QString error;
    if (!loadHandbookFiles(files, records, &error)) {
        err() << tr("fraud: %1\n").arg(error);
        return false;
    }
    *rows = extractHandbookRows(*records, *protocol, settings);
    if (rows->train.empty() || rows->test.empty()) {
        err() << tr("fraud: the files have no transactions in the training week starting %1 or "
                    "in the test week after the %2-day delay; give the handbook files or set "
                    "--train-start\n").arg(protocol->trainStart.toString(Qt::ISODate)).arg(protocol->delayDays);
        return false;
    }
    if (!modelPath.isEmpty()) {
        if (!model->load(modelPath, &error)) {
            err() << tr("fraud: %1\n").arg(error);
            return false;
        }
        return true;
    }
    if (!trainOnHandbook(*rows, *protocol, options, model, summary, &error)) {
        err() << tr("fraud: training failed: %1\n").arg(error);
        return false;
    }
    model->trainingInfo = QJsonObject{
        {QStringLiteral("trained_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("train_start"), protocol->trainStart.toString(Qt::ISODate)},
        {QStringLiteral("train_days"), protocol->trainDays},
        {QStringLiteral("calibration_days"), protocol->calibrationDays},
        {QStringLiteral("history_train_days"), protocol->historyTrainDays},
        {QStringLiteral("label_delay_days"), protocol->delayDays},
        {QStringLiteral("fit_rows"), summary->fitRows},
        {QStringLiteral("fit_frauds"), summary->fitFrauds},
        {QStringLiteral("calibration_rows"), summary->calibrationRows},
        {QStringLiteral("calibration_frauds"), summary->calibrationFrauds},
        {QStringLiteral("rounds"), summary->rounds},
        {QStringLiteral("max_rounds"), options.rounds},
        {QStringLiteral("early_stopping_rounds"), options.earlyStoppingRounds},
        {QStringLiteral("max_depth"), options.maxDepth},
        {QStringLiteral("learning_rate"), options.learningRate},
        {QStringLiteral("positive_weight"), options.positiveWeight},
        {QStringLiteral("min_child_weight"), options.minChildWeight},
        {QStringLiteral("seed"), options.seed},
        {QStringLiteral("calibration_average_precision"), summary->calibrationAveragePrecision},
        {QStringLiteral("calibration_method"), calibrationMethodName(summary->calibration)},
        {QStringLiteral("platt_brier_score"), summary->brier.plattBrier},
        {QStringLiteral("isotonic_brier_score"), summary->brier.isotonicBrier},
        {QStringLiteral("files"), QJsonArray::fromStringList(files)}};
    return true;
}

// Warns when a model given to `fraud evaluate` was not trained on handbook CSV
// files, such as the demo model, because its figures on the handbook then
// measure a different population. `fraud train` records the files it read.
void warnOnOtherTrainingData(const TreeModel &model)
{
    if (model.trainingInfo.contains(QStringLiteral("files")))
        return;
    const QString source = model.trainingInfo.value(QStringLiteral("source")).toString();
    err() << tr("fraud: warning: the model file records its training data as '%1', not as "
                "handbook CSV files, so these figures do not measure how it does on the data it "
                "was made for\n")
                 .arg(source.isEmpty() ? tr("unknown") : source);
}

// The calibration line of `fraud train` and `fraud evaluate`.
QString calibrationSummary(const TrainingSummary &summary)
{
    if (summary.calibrationFrauds == 0)
        return tr("Calibration: none fitted, no fraud on the held-out days\n");
    return tr("Calibration: %1; Brier score on the held-out days, cross-validated over 5 time "
              "blocks: Platt %2, isotonic %3\n")
        .arg(calibrationMethodName(summary.calibration))
        .arg(summary.brier.plattBrier, 0, 'f', 6)
        .arg(summary.brier.isotonicBrier, 0, 'f', 6);
}

int runTrain(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Train the fraud model on handbook CSV files and save it."));
    addProtocolOptions(parser);
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
        tr("Model file to write (JSON)."), tr("file")});
    parser.addPositionalArgument(QStringLiteral("files"), tr("Handbook CSV files (.csv or .csv.gz)."));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QString output = parser.value(QStringLiteral("output"));
    if (parser.positionalArguments().isEmpty() || output.isEmpty()) {
        err() << tr("fraud train needs --output FILE and at least one CSV file.\n");
        return ExitUsage;
    }
    if (!tuningOptionsValid(parser))
        return ExitUsage;
    std::vector<PaymentRecord> records;
    HandbookRows rows;
    HandbookProtocol protocol;
    TreeModel model;
    TrainingSummary summary;
    if (!prepare(parser, parser.positionalArguments(), &records, &rows, &protocol, &model, QString(),
            &summary))
        return ExitFailure;
    QString error;
    if (!model.save(output, &error)) {
        err() << tr("fraud: %1\n").arg(error);
        return ExitFailure;
    }
    out() << tr("Trained %1 trees on %2 transactions (%3 frauds), calibrated on %4 (%5 frauds, "
                "average precision %6); block at score %7, review at %8; wrote %9\n")
                 .arg(model.treeCount()).arg(summary.fitRows).arg(summary.fitFrauds)
                 .arg(summary.calibrationRows).arg(summary.calibrationFrauds)
                 .arg(summary.calibrationAveragePrecision, 0, 'f', 3)
                 .arg(model.blockThreshold).arg(model.reviewThreshold).arg(output);
    out() << calibrationSummary(summary);
    return ExitOk;
}

void printFigures(const EvaluationFigures &f, const HandbookProtocol &p)
{
    const auto day = [&p](int offset) { return p.trainStart.addDays(offset).toString(Qt::ISODate); };
    out() << tr("Protocol: train %1..%2 (trees on the first %3 days, calibration on the last %4), "
                "label delay %5 days, test %6..%7\n")
                 .arg(day(0), day(p.trainDays - 1)).arg(p.trainDays - p.calibrationDays)
                 .arg(p.calibrationDays).arg(p.delayDays)
                 .arg(day(p.trainDays + p.delayDays), day(p.trainDays + p.delayDays + p.testDays - 1));
    out() << tr("Test set: %1 transactions, %2 frauds (%3 transactions of cards known compromised "
                "left out)\n").arg(f.testTransactions).arg(f.testFrauds).arg(f.removedKnownCards);
    out() << tr("ROC AUC:              %1\n").arg(f.rocAuc, 0, 'f', 3);
    out() << tr("Average precision:    %1\n").arg(f.averagePrecision, 0, 'f', 3);
    out() << tr("Card precision@100:   %1\n").arg(f.cardPrecisionAt100, 0, 'f', 3);
    for (const auto &[rate, point] : f.recallAtFpr)
        out() << tr("At FPR <= %1%: recall %2, precision %3 (FPR %4%)\n")
                     .arg(rate * 100, 0, 'g', 3).arg(point.recall, 0, 'f', 3)
                     .arg(point.precision, 0, 'f', 3).arg(point.falsePositiveRate * 100, 0, 'f', 3);
    const OperatingPoint &c = f.confusion;
    out() << tr("Confusion matrix at block score >= %1: TP %2, FP %3, FN %4, TN %5\n")
                 .arg(f.blockThreshold).arg(c.truePositives).arg(c.falsePositives)
                 .arg(c.falseNegatives).arg(c.trueNegatives);
}

// Stores the run for the console, when a database exists. Returns an exit code.
int recordEvaluation(const QCommandLineParser &parser, const EvaluationFigures &figures,
    const QStringList &files, const TreeModel &model)
{
    const QString path = databasePath(parser);
    if (!QFile::exists(path)) {
        err() << tr("fraud: not recorded: no database at %1 (run `portcullis-cli setup`, or pass "
                    "--no-record)\n").arg(path);
        return ExitOk;
    }
    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity who;
    int exitCode = ExitOk;
    if (!signIn(db, parser, &who, &exitCode))
        return exitCode;
    QString error;
    if (!checkPermission(who, Permission::ManageRules, &error)) {
        err() << error << '\n';
        return ExitPermissionDenied;
    }
    EvaluationRecord record;
    QStringList names;
    for (const QString &file : files)
        names.append(QFileInfo(file).fileName());
    record.dataset = names.join(QLatin1Char(','));
    record.modelVersion = tr("%1 trees, trained %2").arg(model.treeCount())
                              .arg(model.trainingInfo.value(QLatin1String("trained_at")).toString());
    record.testTransactions = figures.testTransactions;
    record.testFrauds = figures.testFrauds;
    record.rocAuc = figures.rocAuc;
    record.averagePrecision = figures.averagePrecision;
    record.cardPrecisionAt100 = figures.cardPrecisionAt100;
    record.figures = figures.toJson();
    if (!FraudStore(db).recordEvaluation(&record, &error)) {
        err() << tr("fraud: %1\n").arg(error);
        return ExitFailure;
    }
    err() << tr("fraud: recorded as evaluation %1 in %2\n").arg(record.id).arg(path);
    return ExitOk;
}

int runEvaluate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Train on the handbook's training week and report the figures on its test week. "
           "Files before the training week are history for the features."));
    addProtocolOptions(parser);
    addDatabaseOptions(parser);
    parser.addOption({QStringLiteral("model"), tr("Evaluate this model file instead of training."),
        tr("file")});
    parser.addOption({QStringLiteral("json"), tr("Print one JSON object.")});
    parser.addOption({QStringLiteral("no-record"), tr("Do not store the run in the database.")});
    parser.addPositionalArgument(QStringLiteral("files"), tr("Handbook CSV files (.csv or .csv.gz)."));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err() << tr("fraud evaluate needs at least one CSV file.\n");
        return ExitUsage;
    }
    if (!tuningOptionsValid(parser))
        return ExitUsage;
    std::vector<PaymentRecord> records;
    HandbookRows rows;
    HandbookProtocol protocol;
    TreeModel model;
    TrainingSummary summary;
    if (!prepare(parser, files, &records, &rows, &protocol, &model,
            parser.value(QStringLiteral("model")), &summary))
        return ExitFailure;
    if (parser.isSet(QStringLiteral("model")))
        warnOnOtherTrainingData(model);
    const EvaluationFigures figures = evaluateOnHandbook(rows, protocol, model);
    if (!parser.isSet(QStringLiteral("model"))) {
        err() << tr("fraud: trained %1 trees; average precision on the held-out training days %2\n")
                     .arg(model.treeCount()).arg(summary.calibrationAveragePrecision, 0, 'f', 3);
        err() << tr("fraud: ") << calibrationSummary(summary);
    }
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(figures.toJson()).toJson(QJsonDocument::Compact) << '\n';
    else
        printFigures(figures, protocol);
    out().flush();
    if (parser.isSet(QStringLiteral("no-record")))
        return ExitOk;
    return recordEvaluation(parser, figures, files, model);
}

QJsonObject decisionJson(const Decision &d)
{
    QJsonArray reasons, hits;
    for (const DecisionReason &r : d.reasons)
        reasons.append(r.text());
    for (const RuleHit &h : d.ruleHits)
        hits.append(QJsonObject{{QStringLiteral("action"), ruleActionName(h.action)},
            {QStringLiteral("rule"), h.rule}, {QStringLiteral("line"), h.line}});
    return QJsonObject{{QStringLiteral("payment_id"), QString::fromUtf8(d.paymentId)},
        {QStringLiteral("event_id"), QString::fromUtf8(d.eventId)},
        {QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(d.timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("score"), d.score}, {QStringLiteral("action"), fraudActionName(d.action)},
        {QStringLiteral("request_3ds"), d.requestThreeDSecure},
        {QStringLiteral("decided_by"), d.decidedBy}, {QStringLiteral("reasons"), reasons},
        {QStringLiteral("rule_hits"), hits}};
}

// Reads payment records from a handbook CSV or a file of ECS JSON lines.
bool readPayments(const QString &path, std::vector<PaymentRecord> *records, QString *error)
{
    if (path.endsWith(QLatin1String(".csv")) || path.endsWith(QLatin1String(".csv.gz")))
        return loadHandbookFiles({path}, records, error);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    ParserOptions options;
    options.filePath = path;
    JsonLinesParser parser(options);
    std::vector<Event> events;
    LineInfo info;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine(1 << 20);
        ++info.lineNumber;
        events.clear();
        if (!parser.parseLine(line, info, events))
            continue;
        PaymentRecord record;
        if (!events.empty() && paymentFromEvent(events.front(), &record))
            records->push_back(std::move(record));
        info.offset += line.size();
    }
    return true;
}

// Reads and parses a rules file. Returns ExitOk, ExitFailure when the file
// cannot be read, or ExitVerifyFailed on a syntax error; prints the error.
int loadRules(const QString &path, RuleSet *rules)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        err() << tr("fraud: cannot open rules file %1: %2\n").arg(path, file.errorString());
        return ExitFailure;
    }
    RuleSyntaxError syntax;
    if (!rules->parse(QString::fromUtf8(file.readAll()), &syntax)) {
        err() << path << ": " << syntax.formatted() << '\n';
        return ExitVerifyFailed;
    }
    return ExitOk;
}

int runScore(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Score the payments of a handbook CSV file or of ECS JSON lines from the telemetry, "
           "in time order, and print one decision per payment."));
    parser.addOption({QStringLiteral("model"), tr("Model file from `fraud train`."), tr("file")});
    parser.addOption({QStringLiteral("rules"), tr("Rules file, one rule per line."), tr("file")});
    parser.addOption({QStringLiteral("list"),
        tr("A value list for rules, NAME=VALUE,VALUE,... (repeatable)."), tr("list")});
    parser.addOption({QStringLiteral("json"), tr("Print one JSON object per decision.")});
    parser.addPositionalArgument(QStringLiteral("file"), tr("Payments to score."));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err() << tr("fraud score needs exactly one FILE.\n");
        return ExitUsage;
    }
    FraudEngine engine(FraudSettings::fromSettings());
    QString error;
    if (parser.isSet(QStringLiteral("model"))
        && !engine.loadModel(parser.value(QStringLiteral("model")), &error)) {
        err() << tr("fraud: %1\n").arg(error);
        return ExitFailure;
    }
    RuleSet rules;
    if (parser.isSet(QStringLiteral("rules"))
        && loadRules(parser.value(QStringLiteral("rules")), &rules) != ExitOk)
        return ExitFailure;
    for (const QString &list : parser.values(QStringLiteral("list"))) {
        const qsizetype equals = list.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            err() << tr("fraud: invalid --list '%1'; expected NAME=VALUE,VALUE\n").arg(list);
            return ExitUsage;
        }
        rules.setList(list.left(equals), list.mid(equals + 1).split(QLatin1Char(','), Qt::SkipEmptyParts));
    }
    engine.setRules(rules);
    if (engine.model().treeCount() == 0) {
        err() << (rules.rules().empty()
                ? tr("fraud: no model loaded (--model) and no rules (--rules): every payment is "
                     "allowed\n")
                : tr("fraud: no model loaded (--model): rules only, and payments get no "
                     "score\n"));
    }

    std::vector<PaymentRecord> records;
    if (!readPayments(parser.positionalArguments().constFirst(), &records, &error)) {
        err() << tr("fraud: %1\n").arg(error);
        return ExitFailure;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    qint64 counts[3] = {};
    for (const PaymentRecord &record : records) {
        if (!isScored(record.kind)) {
            engine.process(record);
            continue;
        }
        const Decision d = engine.process(record);
        ++counts[int(d.action)];
        if (json) {
            out() << QJsonDocument(decisionJson(d)).toJson(QJsonDocument::Compact) << '\n';
            continue;
        }
        QStringList explanations;
        for (const DecisionReason &r : d.reasons)
            explanations.append(r.text());
        for (const RuleHit &h : d.ruleHits)
            explanations.append(tr("rule on line %1: %2").arg(h.line).arg(h.rule));
        const QString score = d.score < 0 ? tr("no score") : tr("score %1").arg(d.score);
        out() << tr("%1 %2 %3 %4%5")
                     .arg(QDateTime::fromMSecsSinceEpoch(d.timeMs, Qt::UTC).toString(Qt::ISODate),
                         QString::fromUtf8(d.paymentId), score, fraudActionName(d.action),
                         d.requestThreeDSecure ? tr(" (3DS)") : QString());
        if (!explanations.isEmpty())
            out() << ": " << explanations.join(QLatin1String("; "));
        out() << '\n';
    }
    err() << tr("fraud: %1 allowed, %2 for review, %3 blocked\n").arg(counts[0]).arg(counts[1]).arg(counts[2]);
    return ExitOk;
}

int runRulesCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Check the syntax of a fraud rules file."));
    parser.addOption({QStringLiteral("attributes"), tr("List the attributes rules may use.")});
    parser.addPositionalArgument(QStringLiteral("file"), tr("Rules file, one rule per line."));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    if (parser.isSet(QStringLiteral("attributes"))) {
        for (const QString &name : ruleAttributeNames())
            out() << name << '\n';
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err() << tr("fraud rules check needs exactly one FILE.\n");
        return ExitUsage;
    }
    RuleSet rules;
    if (const int code = loadRules(parser.positionalArguments().constFirst(), &rules); code != ExitOk)
        return code;
    out() << tr("%1 rules, no syntax errors\n").arg(rules.rules().size());
    const QStringList lists = rules.undefinedLists();
    if (!lists.isEmpty())
        out() << tr("Lists used (filled from the database at run time): %1\n")
                     .arg(lists.join(QLatin1String(", ")));
    return ExitOk;
}

} // namespace

int runFraud(const QStringList &arguments)
{
    const QString sub = arguments.value(1);
    // The first entry names the subcommand in its help and error text, as the
    // user types it ("fraud score").
    QStringList rest = arguments.mid(1);
    if (!rest.isEmpty())
        rest.first() = QStringLiteral("fraud ") + sub;
    if (sub == QLatin1String("train"))
        return runTrain(rest);
    if (sub == QLatin1String("evaluate"))
        return runEvaluate(rest);
    if (sub == QLatin1String("score"))
        return runScore(rest);
    if (sub == QLatin1String("rules") && arguments.value(2) == QLatin1String("check"))
        return runRulesCheck(QStringList{QStringLiteral("fraud rules check")} + arguments.mid(3));
    if (sub == QLatin1String("lists"))
        return runFraudLists(rest);
    if (sub == QLatin1String("list"))
        return runFraudList(rest);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub.isEmpty()) {
        out() << tr("Usage: portcullis-cli fraud train|evaluate|score|rules check|lists|list ...\n"
                    "  train FILE... -o MODEL      train the model on handbook CSV files\n"
                    "  evaluate FILE...            train and report the figures on the test week\n"
                    "  score FILE --model MODEL    score payments (CSV or ECS JSON lines)\n"
                    "  rules check FILE            check a rules file\n"
                    "  lists                       print the value lists (@blocked_cards, ...)\n"
                    "  list show|add|remove NAME [VALUE] [--reason TEXT]\n"
                    "                              read or edit a value list (audited)\n"
                    "Each takes --help.\n");
        return sub.isEmpty() ? ExitUsage : ExitOk;
    }
    err() << tr("fraud: unknown subcommand '%1'; use train, evaluate, score, rules check, lists or "
                "list\n").arg(sub);
    return ExitUsage;
}

} // namespace portcullis::cli
