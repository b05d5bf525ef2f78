// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/ruledetectors.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>

namespace portcullis {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::ImportService", text);
}

bool hasBuiltinTag(const QStringList &tags)
{
    for (const QString &tag : tags) {
        if (tag.startsWith(QLatin1String(BuiltinEquivalentTagPrefix), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// Lists the shipped rule files below `folder`, without those that carry a
// BuiltinEquivalentTagPrefix tag. Such a file contains the Sigma form of built-in
// detectors and the detection rules that only they count, so where the
// built-in detectors run it would cost matching time and raise nothing.
QStringList shippedRuleFiles(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, { QStringLiteral("*.yml"), QStringLiteral("*.yaml") }, QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)
            && file.readAll().toLower().contains(BuiltinEquivalentTagPrefix)) {
            qCDebug(lcIngest) << "Left to the built-in detectors:" << path;
            continue;
        }
        files << path; // an unreadable file is reported by the loader
    }
    files.sort();
    return files;
}

QString issueText(const sigma::LoadIssue &issue)
{
    const QString place
        = issue.line > 0 ? QStringLiteral("%1:%2").arg(issue.file).arg(issue.line) : issue.file;
    return QStringLiteral("%1: %2").arg(place, issue.message);
}

// Forwards the alerts of a SigmaDetector except those of the rules that
// duplicate a built-in detector.
class BuiltinDuplicateFilter : public Detector {
public:
    BuiltinDuplicateFilter(std::unique_ptr<Detector> inner, QSet<QString> skippedRuleIds)
        : m_inner(std::move(inner))
        , m_skippedRuleIds(std::move(skippedRuleIds))
    {
    }

    QString ruleId() const override { return m_inner->ruleId(); }

    void processEvent(const Event &event, AlertSink &sink) override
    {
        FilteringSink filtered(sink, m_skippedRuleIds);
        m_inner->processEvent(event, filtered);
    }

    void flush(AlertSink &sink) override
    {
        FilteringSink filtered(sink, m_skippedRuleIds);
        m_inner->flush(filtered);
    }

    void finish(AlertSink &sink) override
    {
        FilteringSink filtered(sink, m_skippedRuleIds);
        m_inner->finish(filtered);
    }

private:
    class FilteringSink : public AlertSink {
    public:
        FilteringSink(AlertSink &target, const QSet<QString> &skippedRuleIds)
            : m_target(target)
            , m_skippedRuleIds(skippedRuleIds)
        {
        }

        void upsertAlert(const Alert &alert) override
        {
            if (!m_skippedRuleIds.contains(alert.ruleId))
                m_target.upsertAlert(alert);
        }

    private:
        AlertSink &m_target;
        const QSet<QString> &m_skippedRuleIds;
    };

    std::unique_ptr<Detector> m_inner;
    QSet<QString> m_skippedRuleIds;
};

} // namespace

std::shared_ptr<const sigma::SigmaRules> loadDetectionRules(
    bool shipped, const QStringList &extraPaths, QStringList *warnings, QString *errorMessage)
{
    QStringList paths;
    if (shipped) {
        const QString shippedPath = sigma::shippedRulesPath();
        if (shippedPath.isEmpty())
            qCWarning(lcIngest) << "The shipped Sigma rules were not found; only built-in "
                                   "detectors and the rules of --rules run";
        else
            paths << shippedRuleFiles(shippedPath);
    }
    paths << extraPaths;
    if (paths.isEmpty())
        return nullptr;

    QVector<sigma::LoadIssue> issues;
    std::shared_ptr<const sigma::SigmaRules> rules = sigma::loadSigmaRules(paths, &issues);
    for (const sigma::LoadIssue &issue : std::as_const(issues)) {
        if (warnings)
            warnings->append(issueText(issue)); // the caller reports them
        else
            qCWarning(lcIngest) << "Sigma rule" << issueText(issue);
    }
    if (!rules && errorMessage) {
        *errorMessage = tr("Cannot read the Sigma rules in %1. Check that each --rules path "
                           "exists and is readable.")
                            .arg(paths.join(QLatin1String(", ")));
    }
    return rules;
}

QSet<QString> builtinEquivalentRuleIds(const sigma::SigmaRules &rules)
{
    QSet<QString> ids;
    for (int i = 0; i < rules.rules.ruleCount(); ++i) {
        const sigma::RuleInfo &info = rules.rules.rule(i);
        if (hasBuiltinTag(info.tags))
            ids.insert(sigma::SigmaDetector::alertRuleId(info.name, info.id, info.title));
    }
    for (int i = 0; i < rules.correlations.count(); ++i) {
        const sigma::CorrelationRule &rule = rules.correlations.rule(i);
        if (hasBuiltinTag(rule.tags))
            ids.insert(sigma::SigmaDetector::alertRuleId(rule.name, rule.id, rule.title));
    }
    return ids;
}

void addSigmaDetector(DetectionEngine &engine, std::shared_ptr<const sigma::SigmaRules> rules)
{
    if (!rules)
        return;
    QSet<QString> skipped = builtinEquivalentRuleIds(*rules);
    auto detector = std::make_unique<sigma::SigmaDetector>(std::move(rules));
    if (skipped.isEmpty()) {
        engine.addDetector(std::move(detector));
        return;
    }
    qCDebug(lcIngest) << "Sigma rules left to the built-in detectors:" << skipped.values();
    engine.addDetector(
        std::make_unique<BuiltinDuplicateFilter>(std::move(detector), std::move(skipped)));
}

} // namespace portcullis
