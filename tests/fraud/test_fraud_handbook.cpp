// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/evaluation.h"
#include "fraud/handbook.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace portcullis::fraud;

namespace {

QString dataFile(const char *name)
{
    return QStringLiteral(PORTCULLIS_DATA_DIR "/fraud/") + QLatin1String(name);
}

bool writeGzip(const QString &path, const QByteArray &text)
{
    gzFile file = gzopen(QFile::encodeName(path).constData(), "wb");
    if (!file)
        return false;
    const bool ok = gzwrite(file, text.constData(), unsigned(text.size())) == int(text.size());
    return gzclose(file) == Z_OK && ok;
}

} // namespace

class TestFraudHandbook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsRows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("small.csv.gz"));
        QVERIFY(writeGzip(path,
            "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO\n"
            "1102483,2018-07-25 00:00:29,1111,2328,40.77,0,0\n"
            "1102484,2018-07-25 00:01:08,676,6846,229.62,1,1\n"));
        std::vector<PaymentRecord> records;
        QString error;
        QVERIFY2(readHandbookCsv(path, &records, &error), qPrintable(error));
        QCOMPARE(records.size(), size_t(2));
        QCOMPARE(records[0].id, QByteArray("1102483"));
        QCOMPARE(records[0].timeMs, 1532476829000LL);  // 2018-07-25T00:00:29Z
        QCOMPARE(records[0].key(EntityKind::Card), quint64(1112));
        QCOMPARE(records[0].key(EntityKind::Merchant), quint64(2329));
        QCOMPARE(records[0].key(EntityKind::Ip), quint64(0));
        QCOMPARE(records[1].amount, 229.62);
        QCOMPARE(records[1].label, 1);
        QCOMPARE(records[1].scenario, 1);
    }

    void rejectsBadRows_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("fragment");
        const QByteArray header
            = "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO\n";
        QTest::newRow("wrong header") << QByteArray("ID,TIME\n1,2\n") << ":1: header";
        QTest::newRow("bad time") << header + "1,2018-07-25T00:00:29,1,2,3.0,0,0\n" << ":2: invalid row";
        QTest::newRow("extra field") << header + "1,2018-07-25 00:00:29,1,2,3.0,0,0,9\n" << ":2: invalid row";
        QTest::newRow("bad amount") << header + "1,2018-07-25 00:00:29,1,2,abc,0,0\n" << ":2: invalid row";
    }

    void rejectsBadRows()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
        file.close();
        std::vector<PaymentRecord> records;
        QString error;
        QVERIFY(!readHandbookCsv(path, &records, &error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
    }

    void evaluateProtocol()
    {
        const QStringList files = {dataFile("handbook_sim_warmup_2018-06-18_to_2018-07-05.csv.gz"),
            dataFile("handbook_sim_warmup_2018-07-06_to_2018-07-24.csv.gz"),
            dataFile("handbook_sim_2018-07-25_to_2018-08-14.csv.gz")};
        for (const QString &file : files) {
            if (!QFile::exists(file))
                QSKIP(qPrintable(QStringLiteral("handbook data not found: %1").arg(file)));
        }
        std::vector<PaymentRecord> records;
        QString error;
        QVERIFY2(loadHandbookFiles(files, &records, &error), qPrintable(error));
        QCOMPARE(records.size(), size_t(173037 + 181380 + 201295));

        HandbookProtocol protocol;
        const HandbookRows rows = extractHandbookRows(records, protocol, FeatureSettings());
        TreeModel model;
        TrainingSummary summary;
        TrainOptions options;
        options.threads = 2;
        QVERIFY2(trainOnHandbook(rows, protocol, options, &model, &summary, &error), qPrintable(error));
        const EvaluationFigures f = evaluateOnHandbook(rows, protocol, model);

        // The test set of the handbook's chapter 3 protocol.
        QCOMPARE(f.testTransactions, qint64(58264));
        QCOMPARE(f.testFrauds, qint64(385));
        // Plausible ranges around the published baselines (AUC 0.86-0.87,
        // average precision 0.61-0.66, card precision@100 0.27-0.29).
        QVERIFY2(f.rocAuc > 0.84 && f.rocAuc < 0.95, qPrintable(QString::number(f.rocAuc)));
        QVERIFY2(f.averagePrecision > 0.60 && f.averagePrecision < 0.85,
            qPrintable(QString::number(f.averagePrecision)));
        QVERIFY2(f.cardPrecisionAt100 > 0.25 && f.cardPrecisionAt100 < 0.40,
            qPrintable(QString::number(f.cardPrecisionAt100)));
        QCOMPARE(f.recallAtFpr.size(), size_t(3));
        QVERIFY(f.recallAtFpr[0].second.falsePositiveRate <= 0.0005);
        QVERIFY2(f.recallAtFpr[0].second.recall > 0.45, qPrintable(QString::number(f.recallAtFpr[0].second.recall)));
        const OperatingPoint &c = f.confusion;
        QCOMPARE(c.truePositives + c.falsePositives + c.trueNegatives + c.falseNegatives, f.testTransactions);
    }
};

QTEST_GUILESS_MAIN(TestFraudHandbook)
#include "test_fraud_handbook.moc"
