// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/rules.h"

#include <QTest>

using namespace portcullis::fraud;

class TestFraudRules : public QObject
{
    Q_OBJECT

private:
    // A $250 charge from a US card through a Brazilian IP. The CVC check
    // failed, the IP had 6 declines in the last hour and the device is missing.
    static PaymentRecord sampleRecord()
    {
        PaymentRecord r;
        r.kind = PaymentKind::Charge;
        r.amount = 250;
        r.cardCountry = QStringLiteral("US");
        r.ipCountry = QStringLiteral("BR");
        r.cardFingerprint = QStringLiteral("fp_stolen1");
        r.email = QStringLiteral("mallory@example.net");
        r.ipAddress = QStringLiteral("203.0.113.9");
        r.cvcCheck = CardCheck::Fail;
        return r;
    }

    static FeatureVector sampleFeatures()
    {
        FeatureVector f;
        f.fill(missingValue());
        f[feature::AmountInUsdValue] = 250;
        f[feature::velocity(EntityKind::Ip, feature::DeclinedCharges, 0)] = 6;
        f[feature::CvcCheckFailed] = 1;
        f[feature::CardCountryDiffersFromIpCountry] = 1;
        return f;
    }

private Q_SLOTS:
    void evaluates_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<bool>("expected");

        QTest::newRow("brief example") << "block if :card_country: != :ip_country: and :amount_in_usd: > 200" << true;
        QTest::newRow("velocity") << "review if :declined_charges_per_ip_address_hourly: > 5" << true;
        QTest::newRow("equal number") << "block if :amount_in_usd: = 250" << true;
        QTest::newRow("equal text case-insensitive") << "block if :card_country: = 'us'" << true;
        QTest::newRow("not equal") << "block if :card_country: != 'US'" << false;
        QTest::newRow("less") << "block if :amount_in_usd: < 250" << false;
        QTest::newRow("less equal") << "block if :amount_in_usd: <= 250" << true;
        QTest::newRow("greater equal") << "block if :amount_in_usd: >= 250.5" << false;
        QTest::newRow("in values") << "block if :ip_country: in ('BR', 'NG')" << true;
        QTest::newRow("in numbers") << "block if :amount_in_usd: IN (100, 250)" << true;
        QTest::newRow("in list") << "block if :card_fingerprint: in @blocked_cards" << true;
        QTest::newRow("in other list") << "block if :email: in @blocked_emails" << false;
        QTest::newRow("includes text") << "review if :email: INCLUDES 'mallory'" << true;
        QTest::newRow("includes values") << "review if :email: includes ('bob', '@example.net')" << true;
        QTest::newRow("like") << "review if :email: LIKE 'mal%@example._et'" << true;
        QTest::newRow("like anchored") << "review if :email: like 'allory%'" << false;
        QTest::newRow("and precedence over or") << "block if :amount_in_usd: > 1000 and :cvc_check: = 'fail' or :ip_country: = 'BR'" << true;
        QTest::newRow("or inside and") << "block if :amount_in_usd: > 1000 and (:cvc_check: = 'fail' or :ip_country: = 'BR')" << false;
        QTest::newRow("not") << "block if not :amount_in_usd: > 1000" << true;
        QTest::newRow("not binds tighter than and") << "block if not :amount_in_usd: > 1000 and :ip_country: = 'US'" << false;
        QTest::newRow("double not") << "block if not not :cvc_check_failed:" << true;
        QTest::newRow("truthy feature") << "block if :card_country_differs_from_ip_country:" << true;
        QTest::newRow("missing compare false") << "block if :minutes_since_card_first_seen: < 5" << false;
        QTest::newRow("missing not-equal false") << "block if :device: != 'dev_1'" << false;
        QTest::newRow("missing both sides") << "block if :device: = :customer:" << false;
        QTest::newRow("missing in not") << "block if not :minutes_since_card_first_seen: < 5" << true;
        QTest::newRow("is_missing") << "block if is_missing(:device:)" << true;
        QTest::newRow("is_missing present") << "block if is_missing(:email:)" << false;
        QTest::newRow("risk score missing") << "block if :risk_score: > 50" << false;
        QTest::newRow("keywords any case") << "BLOCK IF :amount_in_usd: > 10 AND NOT (:ip_country: = 'US')" << true;
    }

    void evaluates()
    {
        QFETCH(QString, rule);
        QFETCH(bool, expected);
        RuleSet rules;
        RuleSyntaxError error;
        QVERIFY2(rules.addRule(rule, 1, &error), qPrintable(error.formatted()));
        rules.setList(QStringLiteral("blocked_cards"), {QStringLiteral("fp_other"), QStringLiteral("FP_STOLEN1")});
        rules.setList(QStringLiteral("blocked_emails"), {QStringLiteral("eve@example.org")});
        const PaymentRecord record = sampleRecord();
        const FeatureVector features = sampleFeatures();
        const RuleInput input{&record, &features, missingValue()};
        QCOMPARE(rules.matches(rules.rules().front(), input), expected);
    }

    void actionsParse_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("action");
        QTest::newRow("allow") << "allow if :amount_in_usd: < 1" << int(RuleAction::Allow);
        QTest::newRow("block") << "block if :amount_in_usd: < 1" << int(RuleAction::Block);
        QTest::newRow("review") << "  Review if :amount_in_usd: < 1" << int(RuleAction::Review);
        QTest::newRow("request_3ds") << "request_3ds if :amount_in_usd: < 1" << int(RuleAction::RequestThreeDSecure);
        QTest::newRow("request 3d secure") << "Request 3D Secure if :risk_score: > 60" << int(RuleAction::RequestThreeDSecure);
    }

    void actionsParse()
    {
        QFETCH(QString, rule);
        QFETCH(int, action);
        RuleSet rules;
        RuleSyntaxError error;
        QVERIFY2(rules.addRule(rule, 1, &error), qPrintable(error.formatted()));
        QCOMPARE(int(rules.rules().front().action), action);
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("fragment");

        QTest::newRow("unknown action") << "deny if :amount_in_usd: > 1" << 1 << "expected an action";
        QTest::newRow("missing if") << "block when :amount_in_usd: > 1" << 7 << "expected 'if'";
        QTest::newRow("empty condition") << "block if" << 9 << "expected a condition";
        QTest::newRow("unknown attribute") << "block if :amount_usd: > 1" << 10 << "unknown attribute";
        QTest::newRow("missing value") << "block if :amount_in_usd: >" << 27 << "expected a value";
        QTest::newRow("unclosed paren") << "block if (:amount_in_usd: > 1" << 30 << "expected ')'";
        QTest::newRow("unclosed string") << "block if :email: = 'abc" << 20 << "not closed";
        QTest::newRow("bad operator") << "block if :amount_in_usd: ! 3" << 26 << "use !=";
        QTest::newRow("text vs number") << "block if :amount_in_usd: = 'big'" << 28 << "compares a number with text";
        QTest::newRow("order on text") << "block if :email: > 3" << 20 << "needs numbers";
        QTest::newRow("trailing token") << "block if :amount_in_usd: > 1 :email:" << 30 << "expected AND, OR";
        QTest::newRow("dangling and") << "block if :amount_in_usd: > 1 and" << 33 << "expected a value";
        QTest::newRow("bare text attribute") << "block if :email:" << 17 << "expected an operator";
        QTest::newRow("empty list name") << "block if :email: in @" << 21 << "list name";
        QTest::newRow("is_missing without paren") << "block if is_missing :email:" << 21 << "expected '('";
        QTest::newRow("literal on left") << "block if 3 < :amount_in_usd:" << 10 << "left side";
    }

    void syntaxErrors()
    {
        QFETCH(QString, rule);
        QFETCH(int, column);
        QFETCH(QString, fragment);
        RuleSet rules;
        RuleSyntaxError error;
        QVERIFY(!rules.addRule(rule, 4, &error));
        QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
        QCOMPARE(error.column, column);
        QCOMPARE(error.line, 4);
        const QStringList lines = error.formatted().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith(QStringLiteral("line 4, column %1:").arg(column)));
        QCOMPARE(lines.at(1), QStringLiteral("  ") + rule);
        QCOMPARE(lines.at(2).indexOf(QLatin1Char('^')), column + 1);
    }

    void fileSkipsCommentsAndReportsLine()
    {
        RuleSet rules;
        RuleSyntaxError error;
        QVERIFY(!rules.parse(QStringLiteral("# comment\n\nblock if :amount_in_usd: > 1\nreview if :x: > 2\n"), &error));
        QCOMPARE(error.line, 4);
        QCOMPARE(error.column, 11);
        QCOMPARE(rules.rules().size(), size_t(1));
    }

    void undefinedListsReported()
    {
        RuleSet rules;
        RuleSyntaxError error;
        QVERIFY(rules.parse(QStringLiteral("block if :ip_address: in @blocked_ips\n"
                                           "block if :card_fingerprint: in @blocked_cards\n"), &error));
        rules.setList(QStringLiteral("blocked_cards"), {});
        QCOMPARE(rules.undefinedLists(), QStringList{QStringLiteral("blocked_ips")});
    }

    void deepNestingRejected()
    {
        RuleSet rules;
        RuleSyntaxError error;
        const QString rule = QStringLiteral("block if ") + QString(200, QLatin1Char('(')) + QStringLiteral(":amount_in_usd: > 1") + QString(200, QLatin1Char(')'));
        QVERIFY(!rules.addRule(rule, 1, &error));
        QVERIFY2(error.message.contains(QStringLiteral("nested")), qPrintable(error.message));
    }
};

QTEST_GUILESS_MAIN(TestFraudRules)
#include "test_fraud_rules.moc"
