// SPDX-License-Identifier: GPL-3.0-or-later
// Loads the SigmaHQ rule folders of the shared corpus: every rule must compile
// or be reported with the exact feature it lacks.
#include "sigma/sigmarule.h"

#include <QDir>
#include <QDirIterator>
#include <QMap>
#include <QRegularExpression>
#include <QTest>

using namespace portcullis;
using namespace portcullis::sigma;

namespace {

QString dataPath(const char *relative)
{
    return QDir(QStringLiteral(PORTCULLIS_DATA_DIR)).filePath(QLatin1String(relative));
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

int countYamlFiles(const QString &path)
{
    int count = 0;
    QDirIterator it(path, { QStringLiteral("*.yml"), QStringLiteral("*.yaml") }, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

} // namespace

class TestSigmaCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpus();
};

void TestSigmaCorpus::corpus()
{
    const QStringList folders { dataPath("sigma/rules"), dataPath("sigma/rules-placeholder"),
                                dataPath("sigma/rules-compliance") };
    if (!QFileInfo::exists(folders.first()))
        QSKIP("The Sigma corpus is missing; set PORTCULLIS_DATA_DIR to the shared data folder.");
    int files = 0;
    for (const QString &folder : folders)
        files += countYamlFiles(folder);

    // Without placeholder values: every rule compiles, or lacks only the
    // values of a named placeholder.
    RuleSet rules;
    QVector<LoadIssue> issues;
    QVERIFY(rules.loadPaths(folders, &issues));
    rules.compile(&issues);
    QMap<QString, int> counts;
    QHash<QString, QStringList> placeholders;
    int unsupported = 0;
    for (const LoadIssue &issue : std::as_const(issues)) {
        counts[kindName(issue.kind) + QLatin1Char(' ') + issue.feature] += 1;
        if (issue.kind != LoadIssue::Kind::Warning)
            qInfo().noquote() << kindName(issue.kind) << issue.file << issue.line << issue.column
                              << issue.message;
        QVERIFY2(issue.kind != LoadIssue::Kind::Error, qPrintable(issue.message));
        if (issue.kind != LoadIssue::Kind::Unsupported)
            continue;
        ++unsupported;
        QCOMPARE(issue.feature, QStringLiteral("placeholder"));
        QVERIFY(issue.line > 0);
        static const QRegularExpression placeholder(QStringLiteral("%([^%\\s,;]+)%"));
        auto it = placeholder.globalMatch(issue.message);
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            counts[QStringLiteral("  placeholder %") + name + QLatin1Char('%')] += 1;
            placeholders.insert(name, { QStringLiteral("value-of-") + name });
        }
    }
    qInfo().noquote() << "files" << files << "rules" << rules.ruleCount() << "correlations"
                      << rules.correlationSources().size() << "filters" << rules.filterCount();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        qInfo().noquote() << it.key() << it.value();
    QCOMPARE(rules.ruleCount() + unsupported, files);

    // With a value for each placeholder, every rule compiles.
    RuleSet withPlaceholders;
    withPlaceholders.setPlaceholders(placeholders);
    QVector<LoadIssue> secondIssues;
    QVERIFY(withPlaceholders.loadPaths(folders, &secondIssues));
    withPlaceholders.compile(&secondIssues);
    for (const LoadIssue &issue : std::as_const(secondIssues))
        QVERIFY2(issue.kind == LoadIssue::Kind::Warning, qPrintable(issue.message));
    QCOMPARE(withPlaceholders.ruleCount(), files);
}

QTEST_GUILESS_MAIN(TestSigmaCorpus)
#include "tst_sigmacorpus.moc"
