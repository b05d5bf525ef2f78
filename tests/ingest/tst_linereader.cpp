// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/linereader.h"

#include <QTemporaryFile>
#include <QTest>

using namespace portcullis;

class TestLineReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lines_data();
    void lines();
    void seekContinuesNumbering();
    void lastLineUnterminated();
};

void TestLineReader::lines_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("maxLine");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<QList<bool>>("truncated");

    QTest::newRow("plain") << QByteArray("a\nbb\nccc\n") << 100 << 1024
                           << QByteArrayList { "a", "bb", "ccc" }
                           << QList<bool> { false, false, false };
    QTest::newRow("crlf and no final newline")
        << QByteArray("a\r\nb\r\nlast") << 100 << 1024 << QByteArrayList { "a", "b", "last" }
        << QList<bool> { false, false, false };
    QTest::newRow("empty lines") << QByteArray("\n\nx\n") << 100 << 1024
                                 << QByteArrayList { "", "", "x" }
                                 << QList<bool> { false, false, false };
    QTest::newRow("long line across chunks")
        << (QByteArray(50, 'x') + "\nshort\n") << 8 << 9 << QByteArrayList { "xxxxxxxx", "short" }
        << QList<bool> { true, false };
    QTest::newRow("long last line")
        << (QByteArray("ok\n") + QByteArray(40, 'y')) << 10 << 11
        << QByteArrayList { "ok", "yyyyyyyyyy" } << QList<bool> { false, true };
    QTest::newRow("exactly the limit")
        << QByteArray("12345678\n123456789\n") << 8 << 9
        << QByteArrayList { "12345678", "12345678" } << QList<bool> { false, true };
    QTest::newRow("lone cr") << QByteArray("one\rtwo\rthree\r") << 100 << 1024
                             << QByteArrayList { "one", "two", "three" }
                             << QList<bool> { false, false, false };
    QTest::newRow("mixed endings") << QByteArray("a\nb\r\nc\rd") << 100 << 1024
                                   << QByteArrayList { "a", "b", "c", "d" }
                                   << QList<bool> { false, false, false, false };
    QTest::newRow("cr then empty crlf line") << QByteArray("a\r\r\nb\n") << 100 << 1024
                                             << QByteArrayList { "a", "", "b" }
                                             << QList<bool> { false, false, false };
    QTest::newRow("crlf split across chunks")
        << QByteArray("a\nbc\r\nd\n") << 3 << 5 << QByteArrayList { "a", "bc", "d" }
        << QList<bool> { false, false, false };
    QTest::newRow("long line ended by cr")
        << (QByteArray(10, 'x') + "\rabc\r") << 4 << 6 << QByteArrayList { "xxxx", "abc" }
        << QList<bool> { true, false };
}

void TestLineReader::lines()
{
    QFETCH(QByteArray, content);
    QFETCH(int, maxLine);
    QFETCH(int, chunk);
    QFETCH(QByteArrayList, expected);
    QFETCH(QList<bool>, truncated);

    QTemporaryFile file;
    QVERIFY(file.open());
    QCOMPARE(file.write(content), content.size());
    QVERIFY(file.seek(0));

    LineReader reader(file, maxLine, chunk);
    QVERIFY(reader.seek(0, 0));
    FileLine line;
    QByteArrayList lines;
    QList<bool> flags;
    qint64 previousEnd = 0;
    while (reader.next(&line)) {
        lines.append(line.text.toByteArray());
        flags.append(line.truncated);
        QCOMPARE(line.offset, previousEnd);
        QCOMPARE(line.lineNumber, qint64(lines.size()));
        previousEnd = line.endOffset;
    }
    QCOMPARE(lines, expected);
    QCOMPARE(flags, truncated);
    QCOMPARE(previousEnd, qint64(content.size()));
    QVERIFY(reader.error().isEmpty());
}

void TestLineReader::seekContinuesNumbering()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("one\ntwo\nthree\n");
    LineReader reader(file, 100);
    QVERIFY(reader.seek(4, 1));
    FileLine line;
    QVERIFY(reader.next(&line));
    QCOMPARE(line.text.toByteArray(), QByteArray("two"));
    QCOMPARE(line.lineNumber, 2);
    QCOMPARE(line.offset, 4);
}

void TestLineReader::lastLineUnterminated()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("one\ntwo");
    LineReader reader(file, 100);
    QVERIFY(reader.seek(0, 0));
    FileLine line;
    QVERIFY(reader.next(&line));
    QVERIFY(line.terminated);
    QVERIFY(reader.next(&line));
    QCOMPARE(line.text.toByteArray(), QByteArray("two"));
    QVERIFY(!line.terminated);
    QCOMPARE(line.endOffset, 7);
    QVERIFY(!reader.next(&line));
}

QTEST_GUILESS_MAIN(TestLineReader)
#include "tst_linereader.moc"
