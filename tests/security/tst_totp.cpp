// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/totp.h"

#include <QTest>

using namespace portcullis;

class TotpTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc6238Vectors_data();
    void rfc6238Vectors();
    void sixDigitTruncation();
    void driftOfOneStep();
    void reuseRejected();
    void base32RoundTrip_data();
    void base32RoundTrip();
    void base32RejectsInvalid();
    void provisioningUriFields();
};

static const QByteArray rfcKey("12345678901234567890");

// RFC 6238 Appendix B, SHA-1 column.
void TotpTest::rfc6238Vectors_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<QString>("expected");
    QTest::newRow("59") << qint64(59) << QStringLiteral("94287082");
    QTest::newRow("1111111109") << qint64(1111111109) << QStringLiteral("07081804");
    QTest::newRow("1111111111") << qint64(1111111111) << QStringLiteral("14050471");
    QTest::newRow("1234567890") << qint64(1234567890) << QStringLiteral("89005924");
    QTest::newRow("2000000000") << qint64(2000000000) << QStringLiteral("69279037");
    QTest::newRow("20000000000") << qint64(20000000000) << QStringLiteral("65353130");
}

void TotpTest::rfc6238Vectors()
{
    QFETCH(qint64, time);
    QFETCH(QString, expected);
    QCOMPARE(totp::code(rfcKey, time, 8), expected);
}

// The product uses 6 digits: the same truncated value modulo 10^6, i.e. the
// last six digits of the 8-digit vector.
void TotpTest::sixDigitTruncation()
{
    QCOMPARE(totp::code(rfcKey, 59), QStringLiteral("287082"));
    QCOMPARE(totp::code(rfcKey, 1111111109), QStringLiteral("081804"));
    QCOMPARE(totp::code(rfcKey, 20000000000), QStringLiteral("353130"));
}

void TotpTest::driftOfOneStep()
{
    const qint64 now = 1111111111;
    const QString previous = totp::code(rfcKey, now - 30);
    const QString next = totp::code(rfcKey, now + 30);
    const QString tooOld = totp::code(rfcKey, now - 60);
    QVERIFY(totp::verify(rfcKey, previous, now, 0).has_value());
    QVERIFY(totp::verify(rfcKey, next, now, 0).has_value());
    QVERIFY(!totp::verify(rfcKey, tooOld, now, 0).has_value());
    QVERIFY(!totp::verify(rfcKey, QStringLiteral("12345"), now, 0).has_value());
}

void TotpTest::reuseRejected()
{
    const qint64 now = 1234567890;
    const QString code = totp::code(rfcKey, now);
    const std::optional<qint64> step = totp::verify(rfcKey, code, now, 0);
    QVERIFY(step.has_value());
    QCOMPARE(*step, now / 30);
    QVERIFY(!totp::verify(rfcKey, code, now, *step).has_value());
    QVERIFY(!totp::verify(rfcKey, code, now + 10, *step).has_value());
}

void TotpTest::base32RoundTrip_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("encoded");
    // RFC 4648 section 10, without padding.
    QTest::newRow("f") << QByteArray("f") << QStringLiteral("MY");
    QTest::newRow("foobar") << QByteArray("foobar") << QStringLiteral("MZXW6YTBOI");
    QTest::newRow("rfc key") << rfcKey << QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

void TotpTest::base32RoundTrip()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, encoded);
    QCOMPARE(totp::base32Encode(data), encoded);
    QCOMPARE(totp::base32Decode(encoded.toLower()).value_or(QByteArray()), data);
}

void TotpTest::base32RejectsInvalid()
{
    QVERIFY(!totp::base32Decode(QStringLiteral("MZ1W")).has_value());
}

void TotpTest::provisioningUriFields()
{
    const QString uri = totp::provisioningUri(QStringLiteral("Portcullis"),
                                              QStringLiteral("alice"), rfcKey);
    QVERIFY(uri.startsWith(QStringLiteral("otpauth://totp/Portcullis:alice?")));
    QVERIFY(uri.contains(QStringLiteral("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")));
    QVERIFY(uri.contains(QStringLiteral("digits=6")));
    QVERIFY(uri.contains(QStringLiteral("period=30")));
}

QTEST_GUILESS_MAIN(TotpTest)
#include "tst_totp.moc"
