// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/correlationyaml.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QtNumeric>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace portcullis::sigma {

namespace {

constexpr char Context[] = "portcullis::sigma";

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

QString scalar(const YAML::Node &node)
{
    return node && node.IsScalar() ? QString::fromStdString(node.Scalar()) : QString();
}

// "attack.t1110.001" -> "T1110.001"; empty when the tag is no technique.
QString techniqueFromTag(const QString &tag)
{
    static const QRegularExpression pattern(QStringLiteral("^attack\\.t([0-9]{4})(\\.[0-9]{3})?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(tag);
    if (!match.hasMatch())
        return QString();
    return QLatin1Char('T') + match.captured(1) + match.captured(2);
}

} // namespace

CorrelationReader::CorrelationReader(const CorrelationSource &source, QVector<LoadIssue> *issues)
    : m_source(source)
    , m_issues(issues)
{
}

void CorrelationReader::add(
    LoadIssue::Kind kind, const YAML::Node &node, const QString &message, const QString &feature)
{
    if (!m_issues)
        return;
    LoadIssue issue;
    issue.kind = kind;
    issue.file = m_source.file;
    issue.line = m_source.line;
    const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    if (!mark.is_null()) {
        issue.line = mark.line + 1 + lineOffset();
        issue.column = mark.column + 1;
    }
    issue.ruleId = m_ruleId;
    issue.feature = feature;
    issue.message = message;
    m_issues->append(issue);
}

int CorrelationReader::lineOffset() const
{
    // Marks count from the start of the parsed text. When the loader parsed
    // each document of a file on its own, they count from the document.
    if (!m_source.document || m_source.line <= 1)
        return 0;
    const YAML::Mark root = m_source.document->Mark();
    if (root.is_null() || root.line + 1 >= m_source.line)
        return 0;
    return m_source.line - 1 - root.line;
}

void CorrelationReader::error(const YAML::Node &node, const QString &message)
{
    add(LoadIssue::Kind::Error, node, message);
}

bool CorrelationReader::read(CorrelationRule *rule)
{
    rule->file = m_source.file;
    rule->line = m_source.line;
    if (!m_source.document || !m_source.document->IsMap()) {
        error(YAML::Node(),
            tr("A correlation document must be a YAML map with `title` and "
               "`correlation`."));
        return false;
    }
    const YAML::Node &document = *m_source.document;
    if (!readMeta(document, rule))
        return false;

    const YAML::Node correlation = document["correlation"];
    if (!correlation.IsMap()) {
        error(correlation,
            tr("`correlation` must be a map with `type`, `rules`, `timespan` and, "
               "for counts, `condition`."));
        return false;
    }
    bool ok = readType(correlation, rule);
    ok = readRules(correlation, rule) && ok;
    ok = readGroupBy(correlation, rule) && ok;
    ok = readTimespan(correlation, rule) && ok;
    ok = ok && readCondition(correlation, rule);
    ok = readAliases(correlation, rule) && ok;
    ok = readGenerate(document["generate"], rule) && ok;
    ok = readGenerate(correlation["generate"], rule) && ok;

    static const QSet<QString> known = { QStringLiteral("type"), QStringLiteral("rules"),
        QStringLiteral("group-by"), QStringLiteral("timespan"), QStringLiteral("condition"),
        QStringLiteral("aliases"), QStringLiteral("generate") };
    for (auto it = correlation.begin(); it != correlation.end(); ++it) {
        const QString key = scalar(it->first);
        if (!known.contains(key)) {
            add(LoadIssue::Kind::Warning, it->first,
                tr("Unknown key `correlation.%1` is ignored; the keys are type, rules, group-by, "
                   "timespan, condition, aliases and generate.")
                    .arg(key));
        }
    }
    return ok;
}

bool CorrelationReader::readMeta(const YAML::Node &document, CorrelationRule *rule)
{
    rule->title = scalar(document["title"]);
    rule->id = scalar(document["id"]);
    rule->name = scalar(document["name"]);
    rule->description = scalar(document["description"]);
    m_ruleId = rule->id.isEmpty() ? rule->title : rule->id;
    if (rule->title.isEmpty()) {
        error(document,
            tr("The correlation has no `title`; add one line such as "
               "`title: SSH brute force`."));
        return false;
    }

    rule->level = scalar(document["level"]);
    if (rule->level.isEmpty())
        rule->level = QStringLiteral("medium");
    if (!severityFromName(rule->level, &rule->severity)) {
        error(document["level"],
            tr("Invalid level '%1'; use informational, low, medium, high "
               "or critical.")
                .arg(rule->level));
        return false;
    }

    const YAML::Node tags = document["tags"];
    if (tags && !stringList(tags, "tags", &rule->tags))
        return false;
    for (const QString &tag : std::as_const(rule->tags)) {
        rule->mitreTechnique = techniqueFromTag(tag);
        if (!rule->mitreTechnique.isEmpty())
            break;
    }
    return true;
}

bool CorrelationReader::readType(const YAML::Node &correlation, CorrelationRule *rule)
{
    const YAML::Node node = correlation["type"];
    const QString type = scalar(node);
    static const QHash<QString, CorrelationType> types = {
        { QStringLiteral("event_count"), CorrelationType::EventCount },
        { QStringLiteral("value_count"), CorrelationType::ValueCount },
        { QStringLiteral("temporal"), CorrelationType::Temporal },
        { QStringLiteral("temporal_ordered"), CorrelationType::TemporalOrdered },
        { QStringLiteral("value_sum"), CorrelationType::ValueSum },
        { QStringLiteral("value_avg"), CorrelationType::ValueAvg },
        { QStringLiteral("value_percentile"), CorrelationType::ValuePercentile },
    };
    const auto it = types.constFind(type);
    if (it != types.constEnd()) {
        rule->type = *it;
        return true;
    }
    error(node.IsDefined() ? node : correlation,
        tr("Invalid or missing `correlation.type` '%1'; use event_count, value_count, temporal, "
           "temporal_ordered, value_sum, value_avg or value_percentile.")
            .arg(type));
    return false;
}

bool CorrelationReader::stringList(const YAML::Node &node, const char *key, QStringList *values)
{
    if (node.IsScalar()) {
        *values << scalar(node);
        return true;
    }
    if (!node.IsSequence()) {
        error(node, tr("`%1` must be a string or a list of strings.").arg(QLatin1String(key)));
        return false;
    }
    for (const YAML::Node &item : node) {
        if (!item.IsScalar() || item.Scalar().empty()) {
            error(
                item, tr("Each entry of `%1` must be a non-empty string.").arg(QLatin1String(key)));
            return false;
        }
        *values << scalar(item);
    }
    return true;
}

bool CorrelationReader::readRules(const YAML::Node &correlation, CorrelationRule *rule)
{
    const YAML::Node node = correlation["rules"];
    QStringList written;
    if (!node.IsDefined() || node.IsNull()) {
        error(correlation,
            tr("`correlation.rules` is missing; list the ids or names of the "
               "rules to correlate."));
        return false;
    }
    if (!stringList(node, "correlation.rules", &written))
        return false;
    if (written.isEmpty()) {
        error(node, tr("`correlation.rules` is empty; list at least one rule id or name."));
        return false;
    }
    const bool temporal
        = rule->type == CorrelationType::Temporal || rule->type == CorrelationType::TemporalOrdered;
    if (temporal && written.size() < 2) {
        error(node, tr("A temporal correlation needs at least two rules in `correlation.rules`."));
        return false;
    }
    if (QSet<QString>(written.begin(), written.end()).size() != written.size()) {
        error(node, tr("`correlation.rules` lists a rule twice; list each rule once."));
        return false;
    }
    for (const QString &name : std::as_const(written)) {
        CorrelationRef ref;
        ref.written = name;
        rule->rules.append(ref);
    }
    return true;
}

bool CorrelationReader::readGroupBy(const YAML::Node &correlation, CorrelationRule *rule)
{
    const YAML::Node node = correlation["group-by"];
    if (!node.IsDefined() || node.IsNull()) {
        add(LoadIssue::Kind::Warning, correlation,
            tr("`correlation.group-by` is missing, so all events fall in one group; add the "
               "fields to group by, such as `group-by: [source.ip]`."));
        return true;
    }
    return stringList(node, "correlation.group-by", &rule->groupBy);
}

bool CorrelationReader::readTimespan(const YAML::Node &correlation, CorrelationRule *rule)
{
    const YAML::Node node = correlation["timespan"];
    rule->timespanText = scalar(node);
    if (parseTimespan(rule->timespanText, &rule->timespanMs))
        return true;
    error(node.IsDefined() ? node : correlation,
        tr("Invalid or missing `correlation.timespan` '%1'; write a positive number and one "
           "lowercase unit: s, m, h or d, such as 10m.")
            .arg(rule->timespanText));
    return false;
}

bool CorrelationReader::readCondition(const YAML::Node &correlation, CorrelationRule *rule)
{
    const YAML::Node node = correlation["condition"];
    const bool temporal
        = rule->type == CorrelationType::Temporal || rule->type == CorrelationType::TemporalOrdered;
    if (!node.IsDefined() || node.IsNull()) {
        if (!temporal) {
            error(correlation,
                tr("`correlation.condition` is missing; add a bound such as "
                   "`condition: {gte: 5}`."));
            return false;
        }
        rule->condition.gte = double(rule->rules.size()); // temporal: every rule
        return true;
    }
    if (!node.IsMap()) {
        error(node, tr("`correlation.condition` must be a map such as `{gte: 5}`."));
        return false;
    }
    bool hasPercentile = false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const QString key = scalar(it->first);
        if (key == QLatin1String("field")) {
            if (!stringList(it->second, "correlation.condition.field", &rule->valueFields))
                return false;
            continue;
        }
        if (key == QLatin1String("percentile")) {
            hasPercentile = true;
            if (!readPercentile(it->second, rule))
                return false;
            continue;
        }
        if (!readBound(it->first, it->second, rule))
            return false;
    }
    if (rule->condition.isEmpty()) {
        if (!temporal) {
            error(node,
                tr("`correlation.condition` has no bound; add one of gt, gte, lt, lte, "
                   "eq or neq."));
            return false;
        }
        rule->condition.gte = double(rule->rules.size());
    }
    return checkConditionField(node, rule, hasPercentile);
}

bool CorrelationReader::readBound(
    const YAML::Node &keyNode, const YAML::Node &valueNode, CorrelationRule *rule)
{
    const QString key = scalar(keyNode);
    const QHash<QString, std::optional<double> *> bounds = {
        { QStringLiteral("gt"), &rule->condition.gt },
        { QStringLiteral("gte"), &rule->condition.gte },
        { QStringLiteral("lt"), &rule->condition.lt },
        { QStringLiteral("lte"), &rule->condition.lte },
        { QStringLiteral("eq"), &rule->condition.eq },
        { QStringLiteral("neq"), &rule->condition.neq },
    };
    const auto bound = bounds.constFind(key);
    if (bound == bounds.constEnd()) {
        error(keyNode,
            tr("Unknown key `condition.%1`; use gt, gte, lt, lte, eq, neq, field and, for "
               "value_percentile, percentile.")
                .arg(key));
        return false;
    }
    const QString text = scalar(valueNode);
    bool isNumber = false;
    if (isMetricType(rule->type)) {
        const double value = text.toDouble(&isNumber);
        if (!isNumber || !qIsFinite(value)) {
            error(valueNode, tr("`condition.%1` must be a number, not '%2'.").arg(key, text));
            return false;
        }
        **bound = value;
        return true;
    }
    const qint64 value = text.toLongLong(&isNumber);
    if (!isNumber || value < 0) {
        error(valueNode,
            tr("`condition.%1` must be a whole number of 0 or more, not '%2'.").arg(key, text));
        return false;
    }
    **bound = double(value);
    return true;
}

bool CorrelationReader::readPercentile(const YAML::Node &node, CorrelationRule *rule)
{
    bool isNumber = false;
    const int percentile = scalar(node).toInt(&isNumber);
    if (!isNumber || percentile < 0 || percentile > 100) {
        error(node,
            tr("`condition.percentile` must be a whole number from 0 to 100, not '%1'; 50 is "
               "the median.")
                .arg(scalar(node)));
        return false;
    }
    rule->percentile = percentile;
    if (rule->type != CorrelationType::ValuePercentile) {
        add(LoadIssue::Kind::Warning, node,
            tr("`condition.percentile` is used by value_percentile only and is ignored here."));
    }
    return true;
}

bool CorrelationReader::checkConditionField(
    const YAML::Node &node, CorrelationRule *rule, bool hasPercentile)
{
    const QString type = correlationTypeName(rule->type);
    const bool needsField = rule->type == CorrelationType::ValueCount || isMetricType(rule->type);
    if (needsField && rule->valueFields.isEmpty()) {
        error(node,
            tr("A %1 correlation needs `condition.field`, the field whose values it "
               "aggregates.")
                .arg(type));
        return false;
    }
    if (isMetricType(rule->type) && rule->valueFields.size() > 1) {
        error(node,
            tr("A %1 correlation aggregates one numeric field; `condition.field` lists %2. "
               "Name one field.")
                .arg(type)
                .arg(rule->valueFields.size()));
        return false;
    }
    if (!needsField && !rule->valueFields.isEmpty()) {
        add(LoadIssue::Kind::Warning, node,
            tr("`condition.field` is used by value_count, value_sum, value_avg and "
               "value_percentile only and is ignored here."));
    }
    if (rule->type == CorrelationType::ValuePercentile && !hasPercentile) {
        add(LoadIssue::Kind::Warning, node,
            tr("`condition.percentile` is missing, so the median (percentile 50) is used; add "
               "`percentile: 50` or the percentile you mean."));
    }
    return true;
}

bool CorrelationReader::readAliases(const YAML::Node &correlation, CorrelationRule *rule)
{
    const YAML::Node node = correlation["aliases"];
    if (!node.IsDefined() || node.IsNull())
        return true;
    if (!node.IsMap()) {
        error(node,
            tr("`correlation.aliases` must map each alias to a map of rule name to "
               "field."));
        return false;
    }
    for (auto alias = node.begin(); alias != node.end(); ++alias) {
        const QString aliasName = scalar(alias->first);
        if (!alias->second.IsMap()) {
            error(alias->second,
                tr("Alias '%1' must map rule names to field names, such as "
                   "`failed_login: source.ip`.")
                    .arg(aliasName));
            return false;
        }
        QHash<QString, QString> fields;
        for (auto field = alias->second.begin(); field != alias->second.end(); ++field) {
            const QString ruleName = scalar(field->first);
            const QString fieldName = scalar(field->second);
            if (ruleName.isEmpty() || fieldName.isEmpty()) {
                error(
                    field->first, tr("Alias '%1' has an empty rule or field name.").arg(aliasName));
                return false;
            }
            const bool listed = std::any_of(rule->rules.cbegin(), rule->rules.cend(),
                [&](const CorrelationRef &ref) { return ref.written == ruleName; });
            if (!listed) {
                add(LoadIssue::Kind::Warning, field->first,
                    tr("Alias '%1' names rule '%2', which is not in `correlation.rules`; that "
                       "entry is never used.")
                        .arg(aliasName, ruleName));
            }
            fields.insert(ruleName, fieldName);
        }
        rule->aliases.insert(aliasName, fields);
    }
    return true;
}

bool CorrelationReader::readGenerate(const YAML::Node &node, CorrelationRule *rule)
{
    if (!node.IsDefined() || node.IsNull())
        return true;
    const QString value = scalar(node).toLower();
    if (value == QLatin1String("true")) {
        rule->generate = true;
        return true;
    }
    if (value == QLatin1String("false"))
        return true;
    error(node, tr("`generate` must be true or false, not '%1'.").arg(scalar(node)));
    return false;
}

} // namespace portcullis::sigma
