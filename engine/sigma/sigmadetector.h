// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sigma/correlation.h"
#include "sigma/correlationengine.h"
#include "sigma/sigmarule.h"

#include "detect/detector.h"

#include <QHash>
#include <QStringList>

#include <memory>

namespace portcullis::sigma {

// Detection rules and the correlations built on them, loaded once and shared
// by the detectors of several imports.
struct SigmaRules {
    RuleSet rules;
    CorrelationSet correlations;
};

// Loads every rule file of `paths` (files or folders), compiles the rules and
// builds the correlations. Issues of every rule are appended to `issues`.
// Returns null when a path cannot be read.
std::shared_ptr<const SigmaRules> loadSigmaRules(
    const QStringList &paths, QVector<LoadIssue> *issues);

// The folder of the rules shipped with Portcullis: share/portcullis/rules
// beside the executable's bin folder (build tree and installation), else
// resources/rules of the source tree. Empty when neither exists.
QString shippedRulesPath();

// A Detector that matches the Sigma rules and evaluates the correlations.
// A detection rule alerts on its own when no correlation refers to it (or one
// with `generate: true` does): one alert per rule and source per burst, a
// burst being matching events with gaps of at most PlainBurstGapMs. A
// correlation alerts when it is outermost (or `generate: true` names it):
// one alert per group and run (see CorrelationGroup), updated while the run
// goes on.
class SigmaDetector : public Detector {
public:
    static constexpr qint64 PlainBurstGapMs = 10 * 60 * 1000;
    static constexpr int MaxEntityValues = 100;

    explicit SigmaDetector(std::shared_ptr<const SigmaRules> rules);

    QString ruleId() const override { return QStringLiteral("sigma"); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override;
    void finish(AlertSink &sink) override;

    // Correlation groups and plain-rule bursts held now (memory checks in tests).
    int stateCount() const;

    // The alert rule id of a detection rule or correlation: its name, else
    // its id, else its title.
    static QString alertRuleId(const QString &name, const QString &id, const QString &title);

private:
    struct PlainBurst {
        int rule = -1;
        QString source;
        QString sourceField;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        qint64 events = 0;
        detect::BoundedValueSet users;
        detect::BoundedValueSet urls;
        QVector<QByteArray> evidence;
        bool dirty = false;
    };

    void addPlainMatch(int rule, const Event &event, AlertSink &sink);
    Alert plainAlert(const PlainBurst &burst) const;
    Alert correlationAlert(const CorrelationGroup &group) const;
    QString correlationReason(const CorrelationRule &rule, const CorrelationGroup &group) const;
    QString groupText(const CorrelationRule &rule, const CorrelationGroup &group) const;
    QString ruleTitles(const CorrelationRule &rule) const;
    static QString metricName(const CorrelationRule &rule);
    void expire(qint64 nowMs, AlertSink &sink);

    std::shared_ptr<const SigmaRules> m_rules;
    CorrelationEngine m_engine;
    QHash<QString, PlainBurst> m_bursts; // key: rule index + source
    QVector<QString> m_dirty;
    QVector<int> m_matched;
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
};

// Loads the rules of `ruleDirs` into a SigmaDetector, or returns null when a
// folder cannot be read. Rules with errors are left out and listed in `issues`.
std::unique_ptr<Detector> loadSigmaDetector(
    const QStringList &ruleDirs, QVector<LoadIssue> *issues);

} // namespace portcullis::sigma
