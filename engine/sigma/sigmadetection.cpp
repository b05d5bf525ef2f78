// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmadetection.h"

#include "sigma/sigmamodifiers.h"

#include <yaml-cpp/yaml.h>

#include <QCoreApplication>

namespace portcullis::sigma {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::sigma::DetectionParser", text);
}

QString scalarText(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

} // namespace

void throwError(const YAML::Mark &mark, const QString &message)
{
    throw RuleError { LoadIssue::Kind::Error, QString(), message, mark };
}

void throwUnsupported(const YAML::Mark &mark, const QString &feature, const QString &message)
{
    throw RuleError { LoadIssue::Kind::Unsupported, feature, message, mark };
}

DetectionParser::DetectionParser(FieldCatalog *catalog,
                                 const QHash<QString, QStringList> *placeholders)
    : m_catalog(catalog)
    , m_placeholders(placeholders)
{
}

QStringList DetectionParser::takeWarnings() const
{
    return std::exchange(m_warnings, {});
}

Detection DetectionParser::parse(const YAML::Node &node, const QStringList &ignoredKeys) const
{
    if (!node.IsMap())
        throwError(node.Mark(), tr("The detection section must be a map of search identifiers "
                                   "and a condition."));
    Detection detection;
    YAML::Node condition;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const QString key = scalarText(it->first);
        if (key == QLatin1String("condition")) {
            condition = it->second;
            continue;
        }
        if (key == QLatin1String("timeframe"))
            throwUnsupported(it->first.Mark(), QStringLiteral("timeframe"),
                             tr("The v1 'timeframe' key is obsolete; write a correlation rule "
                                "with a timespan instead."));
        if (ignoredKeys.contains(key))
            continue;
        detection.selections.append(parseSelection(key, it->second));
    }
    if (!m_missingPlaceholders.isEmpty()) {
        const QStringList missing = std::exchange(m_missingPlaceholders, {});
        throwUnsupported(node.Mark(), QStringLiteral("placeholder"),
                         tr("No values are configured for the placeholders %1; set them "
                            "with RuleSet::setPlaceholders before loading.")
                             .arg(QLatin1Char('%') + missing.join(QLatin1String("%, %"))
                                  + QLatin1Char('%')));
    }
    if (!condition.IsDefined() || condition.IsNull())
        throwError(node.Mark(), tr("The detection section has no condition; add "
                                   "'condition: <expression>'."));

    QStringList names;
    for (const Selection &selection : std::as_const(detection.selections))
        names.append(selection.name);
    if (condition.IsScalar()) {
        detection.condition = parseCondition(scalarText(condition), names, condition.Mark());
        return detection;
    }
    if (!condition.IsSequence() || condition.size() == 0)
        throwError(condition.Mark(), tr("The condition must be a string or a list of strings."));
    detection.condition.kind = ConditionNode::Kind::Or;
    for (const YAML::Node &element : condition) {
        if (!element.IsScalar())
            throwError(element.Mark(), tr("Each element of a condition list must be a string."));
        detection.condition.children.append(
            parseCondition(scalarText(element), names, element.Mark()));
    }
    return detection;
}

Selection DetectionParser::parseSelection(const QString &name, const YAML::Node &node) const
{
    Selection selection;
    selection.name = name;
    if (node.IsMap()) {
        selection.alternatives.append(parseMap(node));
        return selection;
    }
    if (node.IsScalar()) {
        selection.alternatives.append({ keywordTest(node) });
        return selection;
    }
    if (!node.IsSequence() || node.size() == 0)
        throwError(node.Mark(), tr("Search identifier '%1' must be a map, a list of maps or a "
                                   "list of keywords.").arg(name));

    YAML::Node keywords(YAML::NodeType::Sequence);
    for (const YAML::Node &element : node) {
        if (element.IsMap())
            selection.alternatives.append(parseMap(element));
        else if (element.IsScalar())
            keywords.push_back(element);
        else
            throwError(element.Mark(), tr("Search identifier '%1' has an element that is "
                                          "neither a map nor a keyword.").arg(name));
    }
    if (keywords.size() > 0)
        selection.alternatives.append({ keywordTest(keywords) });
    return selection;
}

QVector<FieldTest> DetectionParser::parseMap(const YAML::Node &node) const
{
    QVector<FieldTest> tests;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar())
            throwError(it->first.Mark(), tr("A field name must be a string."));
        tests.append(parseFieldTest(scalarText(it->first), it->second, it->first.Mark()));
    }
    if (tests.isEmpty())
        throwError(node.Mark(), tr("A selection map is empty; give at least one field."));
    return tests;
}

FieldTest DetectionParser::keywordTest(const YAML::Node &values) const
{
    return parseFieldTest(QString(), values, values.Mark());
}

FieldTest DetectionParser::parseFieldTest(const QString &key, const YAML::Node &value,
                                          const YAML::Mark &mark) const
{
    QStringList parts = key.split(QLatin1Char('|'));
    const QString fieldName = parts.takeFirst().trimmed();
    const Modifiers modifiers = parseModifiers(parts, mark);
    const bool keywords = fieldName.isEmpty();

    FieldTest test;
    test.field = keywords ? m_catalog->keywordsId() : m_catalog->idOf(fieldName);
    test.all = modifiers.all;
    test.negate = modifiers.neq;

    QVector<YAML::Node> values;
    if (value.IsSequence()) {
        for (const YAML::Node &element : value)
            values.append(element);
        if (values.isEmpty())
            throwError(value.Mark(), tr("Field '%1' has an empty value list.").arg(key));
    } else if (value.IsMap()) {
        throwError(value.Mark(), tr("Field '%1' has a map as value; give a value or a list "
                                    "of values.").arg(key));
    } else {
        values.append(value);
    }
    if (modifiers.all && values.size() == 1)
        m_warnings.append(tr("Field '%1' uses |all with a single value, which the "
                             "specification does not allow; it is read as a plain value.")
                              .arg(key));

    const ValueBuilder builder { m_catalog, m_placeholders, &m_missingPlaceholders, modifiers,
                                 keywords };
    for (const YAML::Node &element : std::as_const(values)) {
        if (element.IsNull() && values.size() > 1)
            throwError(element.Mark(), tr("Field '%1' has null inside a value list; put the null "
                                          "test in a selection of its own.").arg(key));
        if (!element.IsNull() && !element.IsScalar())
            throwError(element.Mark(), tr("Field '%1' has a value that is not a scalar.").arg(key));
        test.groups.append(builder.build(element));
    }
    return test;
}

} // namespace portcullis::sigma
