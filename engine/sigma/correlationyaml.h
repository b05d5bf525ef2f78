// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sigma/correlation.h"

namespace YAML {
class Mark;
}

namespace portcullis::sigma {

// Reads one correlation document into a CorrelationRule, checking each key
// against the specification. Each problem adds an issue with the file, the
// line and column of the offending node, and what to write instead.
class CorrelationReader {
public:
    CorrelationReader(const CorrelationSource &source, QVector<LoadIssue> *issues);

    // Returns false when the document has an error; the rule is then unusable.
    bool read(CorrelationRule *rule);

private:
    bool readMeta(const YAML::Node &document, CorrelationRule *rule);
    bool readType(const YAML::Node &correlation, CorrelationRule *rule);
    bool readRules(const YAML::Node &correlation, CorrelationRule *rule);
    bool readGroupBy(const YAML::Node &correlation, CorrelationRule *rule);
    bool readTimespan(const YAML::Node &correlation, CorrelationRule *rule);
    bool readCondition(const YAML::Node &correlation, CorrelationRule *rule);
    bool readBound(const YAML::Node &keyNode, const YAML::Node &valueNode, CorrelationRule *rule);
    bool readPercentile(const YAML::Node &node, CorrelationRule *rule);
    bool checkConditionField(const YAML::Node &node, CorrelationRule *rule, bool hasPercentile);
    bool readAliases(const YAML::Node &correlation, CorrelationRule *rule);
    bool readGenerate(const YAML::Node &node, CorrelationRule *rule);

    bool stringList(const YAML::Node &node, const char *key, QStringList *values);
    void add(LoadIssue::Kind kind, const YAML::Node &node, const QString &message,
        const QString &feature = QString());
    void error(const YAML::Node &node, const QString &message);
    int lineOffset() const;

    const CorrelationSource &m_source;
    QVector<LoadIssue> *m_issues;
    QString m_ruleId;
};

} // namespace portcullis::sigma
