// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli rules check` loads Sigma rules and lists every problem;
// `portcullis-cli rules test` runs one rule (or rule file) over log files.
// Neither needs an account or a database.
#include "alertjson.h"
#include "commands.h"
#include "signin.h"
#include "terminaltext.h"

#include "sigma/ruleloader.h"
#include "sigma/sigmadetector.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QHash>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <tuple>

namespace portcullis::cli {

namespace {

using sigma::LoadIssue;

constexpr char Context[] = "cli";

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

QString kindName(LoadIssue::Kind kind)
{
    switch (kind) {
    case LoadIssue::Kind::Error:
        return QStringLiteral("error");
    case LoadIssue::Kind::Unsupported:
        return QStringLiteral("unsupported");
    case LoadIssue::Kind::Warning:
        return QStringLiteral("warning");
    }
    return QString();
}

// Adds --placeholder, the values of the %name% placeholders that rules expand
// with the |expand modifier.
void addPlaceholderOption(QCommandLineParser &parser)
{
    parser.addOption({ QStringLiteral("placeholder"),
        tr("A value for a %name% placeholder of the |expand modifier, as NAME=VALUE "
           "(repeatable; repeat a NAME to give it several values)."),
        QStringLiteral("NAME=VALUE") });
}

// Reads the --placeholder values. On a value without NAME= prints why and
// returns false.
bool readPlaceholders(const QCommandLineParser &parser, QHash<QString, QStringList> *placeholders)
{
    for (const QString &setting : parser.values(QStringLiteral("placeholder"))) {
        const qsizetype equals = setting.indexOf(QLatin1Char('='));
        QString name = setting.left(equals);
        if (name.size() > 2 && name.startsWith(QLatin1Char('%')) && name.endsWith(QLatin1Char('%')))
            name = name.mid(1, name.size() - 2);
        if (equals <= 0 || name.isEmpty() || name.contains(QLatin1Char('%'))) {
            err() << tr("Invalid --placeholder '%1'; give NAME=VALUE, for example "
                        "--placeholder Admins=alice.\n")
                         .arg(terminalText(setting));
            return false;
        }
        (*placeholders)[name].append(setting.mid(equals + 1));
    }
    return true;
}

// Loads the rules like sigma::loadSigmaRules() with placeholder values set
// before the rules are parsed.
std::shared_ptr<const sigma::SigmaRules> loadRules(const QStringList &paths,
    const QHash<QString, QStringList> &placeholders, QVector<LoadIssue> *issues)
{
    auto loaded = std::make_shared<sigma::SigmaRules>();
    loaded->rules.setPlaceholders(placeholders);
    if (!loaded->rules.loadPaths(paths, issues))
        return nullptr;
    loaded->rules.compile(issues);
    loaded->correlations.build(loaded->rules, issues);
    return loaded;
}

// Prints how to give placeholder values when a rule lacks them, because the
// engine's message names the C++ call.
void printPlaceholderHint(const QVector<LoadIssue> &issues)
{
    for (const LoadIssue &issue : issues) {
        if (issue.feature == QLatin1String("placeholder")) {
            err() << tr("Give placeholder values with --placeholder NAME=VALUE.\n");
            return;
        }
    }
}

QJsonObject issueToJson(const LoadIssue &issue)
{
    return QJsonObject {
        { QStringLiteral("file"), issue.file },
        { QStringLiteral("line"), issue.line },
        { QStringLiteral("column"), issue.column },
        { QStringLiteral("kind"), kindName(issue.kind) },
        { QStringLiteral("rule_id"), issue.ruleId },
        { QStringLiteral("feature"), issue.feature },
        { QStringLiteral("message"), issue.message },
    };
}

// FILE:LINE:COLUMN: kind: message, as compilers print them.
void printIssue(const LoadIssue &issue)
{
    QString text = issue.message;
    if (!issue.feature.isEmpty())
        text += QStringLiteral(" [") + issue.feature + QLatin1Char(']');
    err() << terminalText(issue.file) << ':' << issue.line << ':' << issue.column << ": "
          << kindName(issue.kind) << ": " << terminalText(text) << '\n';
}

struct IssueCounts {
    int errors = 0;
    int warnings = 0;
    int unsupported = 0;
    QMap<QString, int> byFeature;
};

IssueCounts countIssues(const QVector<LoadIssue> &issues)
{
    IssueCounts counts;
    for (const LoadIssue &issue : issues) {
        if (issue.kind == LoadIssue::Kind::Error) {
            ++counts.errors;
        } else if (issue.kind == LoadIssue::Kind::Warning) {
            ++counts.warnings;
        } else {
            ++counts.unsupported;
            ++counts.byFeature[issue.feature.isEmpty() ? tr("(unnamed)") : issue.feature];
        }
    }
    return counts;
}

int runCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Loads every Sigma rule and correlation of the given files and folders (read "
           "recursively) and lists each problem as FILE:LINE:COLUMN: kind: message on standard "
           "error. Exits with 0 when every rule loads, 5 when any has an error or needs a "
           "feature that Portcullis lacks."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("json"),
        tr("Print one JSON object with the issues and the counts instead.") });
    addPlaceholderOption(parser);
    parser.addPositionalArgument(
        QStringLiteral("paths"), tr("Rule files or folders."), QStringLiteral("DIR..."));
    if (!parser.parse(arguments)) {
        err() << "rules check: " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << commandHelpText(parser, arguments.value(0));
        return ExitOk;
    }
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        err() << tr("rules check: no rule folder given. Usage: portcullis-cli rules check "
                    "[--json] DIR...\n");
        return ExitUsage;
    }

    QHash<QString, QStringList> placeholders;
    if (!readPlaceholders(parser, &placeholders))
        return ExitUsage;

    QVector<LoadIssue> issues;
    const auto rules = loadRules(paths, placeholders, &issues);
    if (!rules) {
        for (const LoadIssue &issue : std::as_const(issues))
            printIssue(issue);
        err() << tr("rules check: cannot read %1; check that each path exists and is "
                    "readable.\n")
                     .arg(paths.join(QStringLiteral(", ")));
        return ExitFailure;
    }
    const IssueCounts counts = countIssues(issues);
    const int loaded = rules->rules.ruleCount();
    const int correlations = rules->correlations.count();

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const LoadIssue &issue : std::as_const(issues))
            list.append(issueToJson(issue));
        QJsonObject features;
        for (auto it = counts.byFeature.cbegin(); it != counts.byFeature.cend(); ++it)
            features.insert(it.key(), it.value());
        const QJsonObject report {
            { QStringLiteral("rules_loaded"), loaded },
            { QStringLiteral("correlations_loaded"), correlations },
            { QStringLiteral("errors"), counts.errors },
            { QStringLiteral("unsupported"), counts.unsupported },
            { QStringLiteral("unsupported_by_feature"), features },
            { QStringLiteral("warnings"), counts.warnings },
            { QStringLiteral("issues"), list },
        };
        out() << QJsonDocument(report).toJson(QJsonDocument::Compact) << '\n';
    } else {
        for (const LoadIssue &issue : std::as_const(issues))
            printIssue(issue);
        out() << tr("%1 rules and %2 correlations loaded, %3 unsupported by feature, %4 "
                    "errors, %5 warnings\n")
                     .arg(loaded)
                     .arg(correlations)
                     .arg(counts.unsupported)
                     .arg(counts.errors)
                     .arg(counts.warnings);
        for (auto it = counts.byFeature.cbegin(); it != counts.byFeature.cend(); ++it)
            out() << "  " << it.value() << "  " << terminalText(it.key()) << '\n';
    }
    printPlaceholderHint(issues);
    return counts.errors == 0 && counts.unsupported == 0 ? ExitOk : ExitVerifyFailed;
}

} // namespace

int runRulesTest(const QStringList &arguments);

int runRules(const QStringList &arguments)
{
    const QString sub = arguments.value(1);
    if (sub == QLatin1String("check"))
        return runCheck(QStringList{QStringLiteral("rules check")} + arguments.mid(2));
    if (sub == QLatin1String("test"))
        return runRulesTest(QStringList{QStringLiteral("rules test")} + arguments.mid(2));
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub.isEmpty()) {
        (sub.isEmpty() ? err() : out())
            << tr("Usage: portcullis-cli rules check [--json] [--placeholder NAME=VALUE] DIR...\n"
                  "       portcullis-cli rules test [--json] [--rules DIR] [--format F] "
                  "[--placeholder NAME=VALUE] RULE FILE...\n"
                  "check loads Sigma rules and lists their problems; test runs one rule or "
                  "rule file over log files and prints its matches and alerts.\n");
        return sub.isEmpty() ? ExitUsage : ExitOk;
    }
    err() << tr("rules: unknown subcommand '%1'; use check or test.\n").arg(terminalText(sub));
    return ExitUsage;
}

} // namespace portcullis::cli

namespace portcullis::cli {

namespace {

// Keeps the latest version of each alert, in the order first raised.
class AlertCollector : public AlertSink {
public:
    void upsertAlert(const Alert &alert) override
    {
        const auto it = m_index.constFind(alert.key);
        if (it != m_index.constEnd()) {
            alerts[*it] = alert;
            return;
        }
        m_index.insert(alert.key, int(alerts.size()));
        alerts.append(alert);
    }

    QVector<Alert> alerts;

private:
    QHash<QByteArray, int> m_index;
};

QString canonical(const QString &path)
{
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QFileInfo(path).absoluteFilePath() : resolved;
}

// The rules to load: the folders, plus the rule file unless one of them contains it.
QStringList loadPathsFor(const QString &ruleFile, const QStringList &folders)
{
    QStringList paths = folders;
    if (ruleFile.isEmpty())
        return paths;
    const QString file = canonical(ruleFile);
    for (const QString &folder : folders) {
        if (file.startsWith(canonical(folder) + QLatin1Char('/')))
            return paths;
    }
    paths.append(ruleFile);
    return paths;
}

// The rules and correlations that `rules test` reports on: the chosen ones,
// plus every rule a chosen correlation refers to, directly or through another.
struct Selection {
    QSet<int> rules;
    QSet<int> correlations;
    QSet<QString> alertIds;
};

void addCorrelation(const sigma::SigmaRules &loaded, int index, Selection *selection)
{
    if (selection->correlations.contains(index))
        return;
    selection->correlations.insert(index);
    const sigma::CorrelationRule &rule = loaded.correlations.rule(index);
    selection->alertIds.insert(sigma::SigmaDetector::alertRuleId(rule.name, rule.id, rule.title));
    for (const sigma::CorrelationRef &ref : rule.rules) {
        if (ref.isCorrelation) {
            addCorrelation(loaded, ref.index, selection);
        } else {
            selection->rules.insert(ref.index);
        }
    }
}

void addRule(const sigma::SigmaRules &loaded, int index, Selection *selection)
{
    selection->rules.insert(index);
    const sigma::RuleInfo &info = loaded.rules.rule(index);
    selection->alertIds.insert(sigma::SigmaDetector::alertRuleId(info.name, info.id, info.title));
}

Selection select(const sigma::SigmaRules &loaded, const QString &rule, bool isFile)
{
    Selection selection;
    const QString file = isFile ? canonical(rule) : QString();
    for (int i = 0; i < loaded.rules.ruleCount(); ++i) {
        const sigma::RuleInfo &info = loaded.rules.rule(i);
        if (isFile ? canonical(info.file) == file : (info.id == rule || info.name == rule))
            addRule(loaded, i, &selection);
    }
    for (int i = 0; i < loaded.correlations.count(); ++i) {
        const sigma::CorrelationRule &correlation = loaded.correlations.rule(i);
        const bool chosen = isFile ? canonical(correlation.file) == file
                                   : (correlation.id == rule || correlation.name == rule);
        if (chosen)
            addCorrelation(loaded, i, &selection);
    }
    return selection;
}

void printMatch(const sigma::RuleInfo &info, const Event &event, bool json)
{
    const QString ruleId = sigma::SigmaDetector::alertRuleId(info.name, info.id, info.title);
    if (json) {
        const QJsonObject match {
            { QStringLiteral("type"), QStringLiteral("match") },
            { QStringLiteral("rule_id"), ruleId },
            { QStringLiteral("file"), event.filePath },
            { QStringLiteral("line"), event.lineNumber },
            { QStringLiteral("event_id"), QString::fromUtf8(event.id) },
            { QStringLiteral("@timestamp"), isoTime(event.timestampMs) },
        };
        out() << QJsonDocument(match).toJson(QJsonDocument::Compact) << '\n';
        return;
    }
    out() << terminalText(event.filePath) << ':' << event.lineNumber << ": " << terminalText(ruleId)
          << ": " << terminalText(event.original.left(200)) << '\n';
}

void printAlert(const Alert &alert, bool json)
{
    if (json) {
        QJsonObject object = alertToJson(alert);
        object.insert(QStringLiteral("type"), QStringLiteral("alert"));
        out() << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        return;
    }
    out() << tr("alert %1 [%2] %3 events, %4 to %5\n    %6\n")
                 .arg(terminalText(alert.ruleId), severityName(alert.severity))
                 .arg(alert.eventCount)
                 .arg(isoTime(alert.firstSeenMs), isoTime(alert.lastSeenMs),
                     terminalText(alert.reason));
}

// Whether every correlation of `loaded` was built, so none refers to a rule
// that is missing.
bool loadedCompletely(const sigma::SigmaRules &loaded, const QVector<LoadIssue> &issues)
{
    const bool errors = std::any_of(issues.cbegin(), issues.cend(), [](const LoadIssue &issue) {
        return issue.kind != LoadIssue::Kind::Warning;
    });
    return !errors && loaded.correlations.count() == loaded.rules.correlationSources().size();
}

void addTestOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        tr("Runs one Sigma rule, correlation or rule file (with the rules its correlations "
           "refer to) over log files and prints each matching line and each alert."));
    parser.addHelpOption();
    parser.addOption(
        { QStringLiteral("json"), tr("Print one JSON object per match and per alert per line.") });
    parser.addOption({ QStringLiteral("rules"),
        tr("Folder of rules to look RULE up in and to resolve references from (repeatable; "
           "default: the shipped rules)."),
        tr("dir") });
    parser.addOption({ QStringLiteral("format"),
        tr("Log format of every file: auto, syslog, web or jsonl (default: auto)."), tr("format"),
        QStringLiteral("auto") });
    addPlaceholderOption(parser);
    parser.addPositionalArgument(QStringLiteral("rule"),
        tr("A rule file, or the id or name of a loaded rule or correlation."),
        QStringLiteral("RULE"));
    parser.addPositionalArgument(
        QStringLiteral("files"), tr("Log files to read."), QStringLiteral("FILE..."));
}

} // namespace

int runRulesTest(const QStringList &arguments)
{
    QCommandLineParser parser;
    addTestOptions(parser);
    if (!parser.parse(arguments)) {
        err() << "rules test: " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << commandHelpText(parser, arguments.value(0));
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    LogFormat format = LogFormat::Auto;
    if (positional.size() < 2 || !formatFromName(parser.value(QStringLiteral("format")), &format)) {
        err() << tr("rules test: usage: portcullis-cli rules test [--json] [--rules DIR] "
                    "[--format auto|syslog|web|jsonl] RULE FILE...\n");
        return ExitUsage;
    }
    QHash<QString, QStringList> placeholders;
    if (!readPlaceholders(parser, &placeholders))
        return ExitUsage;
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString rule = positional.first();
    const bool isFile = QFileInfo(rule).isFile();
    QStringList folders = parser.values(QStringLiteral("rules"));
    if (folders.isEmpty() && !sigma::shippedRulesPath().isEmpty())
        folders << sigma::shippedRulesPath();

    QVector<LoadIssue> issues;
    std::shared_ptr<const sigma::SigmaRules> loaded;
    if (isFile) {
        // A rule file that refers only to its own rules runs alone, so that a
        // copy of it in the folders does not load twice.
        loaded = loadRules({ rule }, placeholders, &issues);
        if (loaded && !loadedCompletely(*loaded, issues)) {
            issues.clear();
            loaded.reset();
        }
    }
    if (!loaded)
        loaded = loadRules(loadPathsFor(isFile ? rule : QString(), folders), placeholders, &issues);
    if (!loaded) {
        err() << tr("rules test: cannot read the rules in %1.\n")
                     .arg(folders.join(QStringLiteral(", ")));
        return ExitFailure;
    }
    // A rule file's own problems are reported; for a rule named by id, the
    // problems of other files only when the name is not found.
    const Selection selection = select(*loaded, rule, isFile);
    const bool found = !selection.rules.isEmpty() || !selection.correlations.isEmpty();
    QVector<LoadIssue> printedIssues;
    for (const LoadIssue &issue : std::as_const(issues)) {
        const bool relevant
            = isFile ? canonical(issue.file) == canonical(rule) : (!found || issue.ruleId == rule);
        if (issue.kind != LoadIssue::Kind::Warning && relevant) {
            printIssue(issue);
            printedIssues.append(issue);
        }
    }
    const bool ruleErrors = !printedIssues.isEmpty();
    printPlaceholderHint(printedIssues);
    if (!found) {
        // A rule file whose errors are printed above needs no second message.
        if (!isFile || !ruleErrors)
            err() << tr("rules test: no rule or correlation is named '%1'; give a rule file or "
                        "the id or name of a rule in %2.\n")
                         .arg(terminalText(rule), folders.join(QStringLiteral(", ")));
        return ruleErrors ? ExitVerifyFailed : ExitUsage;
    }

    sigma::SigmaDetector detector(loaded);
    AlertCollector collector;
    QVector<int> matched;
    qint64 matches = 0;
    qint64 unparsed = 0;
    qint64 screened = 0;
    for (const QString &path : positional.mid(1)) {
        sigma::LogReadSummary summary;
        QString error;
        const bool ok = sigma::readLogFile(
            path, format,
            [&](const Event &event) {
                matched.clear();
                loaded->rules.match(event, &matched);
                for (int index : std::as_const(matched)) {
                    if (!selection.rules.contains(index))
                        continue;
                    ++matches;
                    printMatch(loaded->rules.rule(index), event, json);
                }
                detector.processEvent(event, collector);
            },
            &summary, &error, &loaded->rules);
        if (!ok) {
            err() << "rules test: " << error << '\n';
            return ExitFailure;
        }
        unparsed += summary.unparsedLines;
        screened += summary.screenedLines;
    }
    detector.finish(collector);
    // In time order: when an alert is written out depends on when the
    // detector sweeps, which lines the screen passed over move.
    std::stable_sort(collector.alerts.begin(), collector.alerts.end(),
                     [](const Alert &a, const Alert &b) {
                         return std::tie(a.firstSeenMs, a.ruleId, a.key)
                                < std::tie(b.firstSeenMs, b.ruleId, b.key);
                     });

    int alerts = 0;
    for (const Alert &alert : std::as_const(collector.alerts)) {
        if (!selection.alertIds.contains(alert.ruleId))
            continue;
        ++alerts;
        printAlert(alert, json);
    }
    err()
        << tr("%1 matches, %2 alerts, %3 unparsed lines\n").arg(matches).arg(alerts).arg(unparsed);
    if (screened > 0) {
        err() << tr("Lines not parsed because no loaded rule could match them: %1\n")
                     .arg(screened);
    }
    if (ruleErrors)
        return ExitVerifyFailed;
    return unparsed > 0 ? ExitInputErrors : ExitOk;
}

} // namespace portcullis::cli
