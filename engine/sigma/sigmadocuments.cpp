// SPDX-License-Identifier: GPL-3.0-or-later
// RuleSet loading: files and folders, YAML documents with action
// global/reset/repeat, rule metadata, filters and correlation documents.
#include "sigma/sigmacompiled.h"

#include <yaml-cpp/yaml.h>

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace portcullis::sigma {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::sigma::RuleSet", text);
}

// Rule files larger than this are rejected instead of parsed.
constexpr qint64 MaxRuleFileBytes = 4 * 1024 * 1024;

YAML::Node child(const YAML::Node &node, const char *key)
{
    // operator[] on a const node does not insert, but a missing key yields an
    // invalid node whose type queries throw; return an undefined one instead.
    const YAML::Node &constNode = node;
    const YAML::Node value = constNode[key];
    return value.IsDefined() ? value : YAML::Node(YAML::NodeType::Undefined);
}

// The values of a map node by key, read in one pass. YAML::Node::operator[]
// walks the whole map and converts every key to a std::string for each
// lookup, and a rule document takes a dozen lookups.
class MapIndex
{
public:
    explicit MapIndex(const YAML::Node &node)
    {
        if (!node.IsMap())
            return;
        for (auto it = node.begin(); it != node.end(); ++it) {
            // operator[] matches scalar keys only, the first one when a key repeats.
            if (it->first.IsScalar())
                m_entries.emplace_back(it->first.Scalar(), it->second);
        }
    }

    // The value of `key` like child(), or an undefined node.
    YAML::Node value(const char *key) const
    {
        for (const auto &[name, value] : m_entries) {
            if (name == key)
                return value;
        }
        return YAML::Node(YAML::NodeType::Undefined);
    }

private:
    std::vector<std::pair<std::string, YAML::Node>> m_entries;
};

QString scalarText(const YAML::Node &value)
{
    if (!value.IsDefined() || !value.IsScalar())
        return QString();
    return QString::fromStdString(value.Scalar());
}

QString text(const MapIndex &fields, const char *key)
{
    return scalarText(fields.value(key));
}

QStringList textList(const MapIndex &fields, const char *key)
{
    const YAML::Node value = fields.value(key);
    QStringList list;
    if (value.IsScalar())
        list.append(QString::fromStdString(value.Scalar()));
    if (value.IsSequence()) {
        for (const YAML::Node &element : value) {
            if (element.IsScalar())
                list.append(QString::fromStdString(element.Scalar()));
        }
    }
    return list;
}

// Deep merge for action: global and repeat: maps merge key by key and every
// other value of `overlay` replaces the one in `base`.
YAML::Node merged(const YAML::Node &base, const YAML::Node &overlay)
{
    if (!base.IsMap() || !overlay.IsMap())
        return YAML::Clone(overlay);
    YAML::Node result = YAML::Clone(base);
    for (auto it = overlay.begin(); it != overlay.end(); ++it) {
        const std::string key = it->first.Scalar();
        const YAML::Node existing = child(result, key.c_str());
        result[key] = existing.IsDefined() ? merged(existing, it->second) : YAML::Clone(it->second);
    }
    return result;
}

YAML::Node withoutAction(const YAML::Node &document)
{
    YAML::Node copy = YAML::Clone(document);
    copy.remove("action");
    return copy;
}

QString mitreTechnique(const QStringList &tags)
{
    static const QRegularExpression technique(QStringLiteral("^attack\\.t(\\d{4})(\\.\\d{3})?$"),
                                              QRegularExpression::CaseInsensitiveOption);
    for (const QString &tag : tags) {
        const QRegularExpressionMatch match = technique.match(tag);
        if (match.hasMatch())
            return QLatin1Char('T') + match.captured(1) + match.captured(2);
    }
    return QString();
}

LogSource logSourceOf(const MapIndex &document)
{
    const YAML::Node node = document.value("logsource");
    if (!node.IsMap())
        return LogSource();
    const MapIndex fields(node);
    return LogSource { text(fields, "category"), text(fields, "product"),
                       text(fields, "service") };
}

} // namespace

// Reads one document (after action merging) into a rule, filter or
// correlation source.
class DocumentReader
{
public:
    DocumentReader(CompiledRules *rules, const QString &file, QVector<LoadIssue> *issues)
        : m_rules(rules)
        , m_file(file)
        , m_issues(issues)
    {
    }

    void read(const YAML::Node &document) { read(document, MapIndex(document)); }

    // Reads `document`, whose keys `fields` indexes.
    void read(const YAML::Node &document, const MapIndex &fields)
    {
        const int line = document.Mark().line + 1;
        if (fields.value("correlation").IsDefined()) {
            m_rules->correlations.append(
                CorrelationSource { std::make_shared<YAML::Node>(document), m_file, line });
            return;
        }
        const QString key = ruleKey(fields);
        try {
            if (fields.value("filter").IsDefined() && !fields.value("detection").IsDefined())
                readFilter(fields, line);
            else
                readRule(document, fields, line);
        } catch (const RuleError &error) {
            addIssue(error.kind, key, error.mark, error.feature, error.message);
        } catch (const YAML::Exception &error) {
            addIssue(LoadIssue::Kind::Error, key, error.mark, QString(),
                     tr("Invalid rule structure: %1.").arg(QString::fromStdString(error.msg)));
        }
    }

    void addIssue(LoadIssue::Kind kind, const QString &ruleId, const YAML::Mark &mark,
                  const QString &feature, const QString &message)
    {
        if (!m_issues)
            return;
        const bool known = !mark.is_null();
        m_issues->append(LoadIssue { kind, m_file, known ? mark.line + 1 : 0,
                                     known ? mark.column + 1 : 0, ruleId, feature, message });
    }

private:
    static QString ruleKey(const MapIndex &fields)
    {
        const QString id = text(fields, "id");
        return id.isEmpty() ? text(fields, "title") : id;
    }

    void readRule(const YAML::Node &document, const MapIndex &fields, int line)
    {
        const YAML::Node detectionNode = fields.value("detection");
        if (!detectionNode.IsDefined())
            throwError(document.Mark(), tr("The document has no 'detection' section; a rule "
                                           "needs one, a filter needs 'filter' and a "
                                           "correlation rule needs 'correlation'."));
        RuleEntry entry;
        RuleInfo &info = entry.info;
        info.id = text(fields, "id");
        info.name = text(fields, "name");
        info.title = text(fields, "title");
        if (info.title.isEmpty())
            throwError(document.Mark(), tr("The rule has no title; add 'title: ...'."));
        info.description = text(fields, "description");
        info.status = text(fields, "status");
        info.level = text(fields, "level");
        info.tags = textList(fields, "tags");
        info.mitreTechnique = mitreTechnique(info.tags);
        info.logsource = logSourceOf(fields);
        info.falsePositives = textList(fields, "falsepositives");
        info.file = m_file;
        info.line = line;
        if (!info.level.isEmpty() && !severityFromName(info.level, &info.severity))
            addIssue(LoadIssue::Kind::Warning, ruleKey(fields), fields.value("level").Mark(),
                     QString(), tr("Unknown level '%1'; use informational, low, medium, high or "
                                   "critical. The rule loads with medium.").arg(info.level));

        const DetectionParser parser(&m_rules->catalog, &m_rules->placeholders);
        entry.detection = parser.parse(detectionNode);
        for (const QString &warning : parser.takeWarnings())
            addIssue(LoadIssue::Kind::Warning, ruleKey(fields), detectionNode.Mark(), QString(),
                     warning);

        const int index = m_rules->rules.size();
        for (const QString &key : { info.id, info.name }) {
            if (key.isEmpty())
                continue;
            if (m_rules->indexByKey.contains(key))
                addIssue(LoadIssue::Kind::Warning, ruleKey(fields), document.Mark(), QString(),
                         tr("Another rule already uses '%1' as id or name; references to it "
                            "reach the first one.").arg(key));
            else
                m_rules->indexByKey.insert(key, index);
        }
        m_rules->rules.append(entry);
    }

    void readFilter(const MapIndex &fields, int line)
    {
        const YAML::Node filterNode = fields.value("filter");
        if (!filterNode.IsMap())
            throwError(filterNode.Mark(), tr("'filter' must be a map with 'rules', the "
                                             "selections and a 'condition'."));
        FilterEntry filter;
        filter.id = text(fields, "id");
        filter.title = text(fields, "title");
        filter.logsource = logSourceOf(fields);
        filter.ruleRefs = textList(MapIndex(filterNode), "rules");
        filter.file = m_file;
        filter.line = line;
        if (filter.ruleRefs.isEmpty())
            throwError(filterNode.Mark(), tr("The filter names no rules; list rule ids under "
                                             "'filter: rules:'."));
        const DetectionParser parser(&m_rules->catalog, &m_rules->placeholders);
        filter.detection = parser.parse(filterNode, { QStringLiteral("rules") });
        m_rules->filters.append(filter);
    }

    CompiledRules *m_rules;
    QString m_file;
    QVector<LoadIssue> *m_issues;
};

bool RuleSet::loadPaths(const QStringList &paths, QVector<LoadIssue> *issues)
{
    bool ok = true;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        QStringList files;
        if (info.isDir()) {
            QDirIterator it(path, { QStringLiteral("*.yml"), QStringLiteral("*.yaml") },
                            QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
            while (it.hasNext())
                files.append(it.next());
            files.sort();
        } else {
            files.append(path);
        }
        for (const QString &file : std::as_const(files)) {
            QFile input(file);
            const bool tooLarge = QFileInfo(file).size() > MaxRuleFileBytes;
            if (tooLarge || !input.open(QIODevice::ReadOnly)) {
                const QString message = tooLarge
                    ? tr("The file is larger than %1 bytes; split it.").arg(MaxRuleFileBytes)
                    : tr("Cannot read the file: %1.").arg(input.errorString());
                if (issues)
                    issues->append(LoadIssue { LoadIssue::Kind::Error, file, 0, 0, QString(),
                                               QString(), message });
                ok = false;
                continue;
            }
            loadText(input.readAll(), file, issues);
        }
    }
    return ok;
}

void RuleSet::loadText(const QByteArray &yaml, const QString &fileName, QVector<LoadIssue> *issues)
{
    DocumentReader reader(d.get(), fileName, issues);
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(yaml.toStdString());
    } catch (const YAML::Exception &error) {
        reader.addIssue(LoadIssue::Kind::Error, QString(), error.mark, QString(),
                        tr("Invalid YAML: %1.").arg(QString::fromStdString(error.msg)));
        return;
    }
    d->compiled = false;

    YAML::Node global;
    YAML::Node previous;
    for (const YAML::Node &document : documents) {
        if (document.IsNull())
            continue;
        if (!document.IsMap()) {
            reader.addIssue(LoadIssue::Kind::Error, QString(), document.Mark(), QString(),
                            tr("A YAML document is not a map; each document must be a rule, "
                               "a filter or a correlation rule."));
            continue;
        }
        const MapIndex fields(document);
        const QString action = text(fields, "action");
        if (action == QLatin1String("global")) {
            global.reset(withoutAction(document));
            continue;
        }
        if (action == QLatin1String("reset")) {
            global.reset();
            continue;
        }
        YAML::Node rule;
        bool unchanged = false;  // `rule` is `document`, which `fields` indexes
        if (action == QLatin1String("repeat")) {
            if (!previous.IsDefined() || previous.IsNull()) {
                reader.addIssue(LoadIssue::Kind::Error, QString(), document.Mark(), QString(),
                                tr("'action: repeat' needs a rule document before it."));
                continue;
            }
            rule = merged(previous, withoutAction(document));
        } else if (!action.isEmpty()) {
            reader.addIssue(LoadIssue::Kind::Error, QString(), fields.value("action").Mark(),
                            QString(), tr("Unknown action '%1'; use global, reset or repeat.")
                                           .arg(action));
            continue;
        } else if (global.IsDefined() && global.IsMap()) {
            rule = merged(global, document);
        } else {
            rule = document;
            unchanged = true;
        }
        previous.reset(rule);
        if (unchanged)
            reader.read(rule, fields);
        else
            reader.read(rule);
    }
}

int RuleSet::filterCount() const
{
    return d->filters.size();
}

} // namespace portcullis::sigma
