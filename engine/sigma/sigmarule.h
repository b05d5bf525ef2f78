// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The contract between the Sigma rule compiler (sigmaruleset.cpp and its
// helpers) and the parts built on it: correlation rules, the detector that
// raises alerts, and `portcullis-cli rules`.

#include "detect/alert.h"
#include "event/event.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace YAML {
class Node;
}

namespace portcullis::sigma {

// A problem found while loading rules. Errors make a rule unusable; an
// unsupported feature names exactly what the engine lacks ("modifier
// |base64offset|contains on a keyword list", ...), so that it is counted and
// reported per rule, never dropped silently.
struct LoadIssue
{
    enum class Kind : quint8 { Error, Unsupported, Warning };
    Kind kind = Kind::Error;
    QString file;
    int line = 0;      // 1-based, 0 when unknown
    int column = 0;    // 1-based, 0 when unknown
    QString ruleId;    // the rule's id, or its title when it has no id
    QString feature;   // for Unsupported: a short stable name used for counting
    QString message;   // one sentence: what is wrong and how to fix it
};

struct LogSource
{
    QString category;
    QString product;
    QString service;
};

// What a loaded detection rule says about itself.
struct RuleInfo
{
    QString id;          // the rule's UUID, or empty
    QString name;        // the optional `name` that correlation rules refer to
    QString title;
    QString description;
    QString status;
    QString level;       // informational, low, medium, high, critical
    Severity severity = Severity::Medium;
    QStringList tags;
    QString mitreTechnique;  // the first attack.tNNNN[.NNN] tag as "T1110.001", or empty
    LogSource logsource;
    QStringList falsePositives;
    QString file;
    int line = 0;
};

// A correlation document as read from a file, handed on unparsed for the
// correlation engine (correlation.h) to build.
struct CorrelationSource
{
    std::shared_ptr<YAML::Node> document;
    QString file;
    int line = 0;
};

class CompiledRules;

// A set of Sigma detection rules compiled into one matcher. Load everything,
// call compile() once, then match() each event. match() is const and keeps no
// state between calls.
class RuleSet
{
public:
    RuleSet();
    ~RuleSet();
    RuleSet(RuleSet &&) noexcept;
    RuleSet &operator=(RuleSet &&) noexcept;

    // Sets the values of `%name%` placeholders for the |expand modifier (name
    // without the percent signs). Call before loading: a rule that uses a
    // placeholder without values is reported as Unsupported and not loaded.
    void setPlaceholders(const QHash<QString, QStringList> &values);

    // Loads every *.yml and *.yaml file of each path (a file, or a folder read
    // recursively in sorted order). Returns false when a path cannot be read.
    // Each broken rule adds an issue and the others load.
    bool loadPaths(const QStringList &paths, QVector<LoadIssue> *issues);
    // Loads the YAML documents of one file's text (several documents separated
    // by "---" are allowed, including action: global / reset / repeat).
    void loadText(const QByteArray &yaml, const QString &fileName, QVector<LoadIssue> *issues);

    // Builds the shared matcher (field ids, literal prefilter) and applies
    // filter documents to their rules. Call after the last load and before
    // match(). Filters naming rules that are not loaded add a Warning.
    void compile(QVector<LoadIssue> *issues = nullptr);

    int ruleCount() const;
    const RuleInfo &rule(int index) const;
    // The index of a rule by its id or name, or -1.
    int indexOf(const QString &idOrName) const;
    const QVector<CorrelationSource> &correlationSources() const;
    // The number of filter documents loaded (see the Sigma filters specification).
    int filterCount() const;

    // Appends the indexes of the rules the event matches, ascending.
    void match(const Event &event, QVector<int> *matched) const;

private:
    friend class LineScreen;
    std::unique_ptr<CompiledRules> d;
};

} // namespace portcullis::sigma
