// SPDX-License-Identifier: GPL-3.0-or-later
// Review decisions feed the lists, are audited and need the role's
// permission; the Fraud view model reads a real SQLite file.
#include "paymentevents.h"

#include "fraud/fraudreviewmodel.h"
#include "fraud/fraudstore.h"
#include "fraud/review.h"
#include "security/auditlog.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;
using namespace portcullis::test;

class TestFraudReview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void approveAddsToListAndAudits();
    void blockNeedsResponder();
    void modelReadsQueueHistoryAndFigures();
    void modelPagesLargeQueues();

private:
    void storeEvents(const std::vector<Event> &events);
    void storeDecision(const Event &event, fraud::FraudAction action, int score);
    int auditCount(const QString &action);

    QTemporaryDir *m_dir = nullptr;
    Store *m_store = nullptr;
    QString m_path;
    Identity m_analyst = identityForTesting(QStringLiteral("analyst"), {Role::Analyst}, 2);
    Identity m_responder = identityForTesting(QStringLiteral("responder"), {Role::Responder}, 3);
    std::vector<Event> m_flagged;
};

void TestFraudReview::storeEvents(const std::vector<Event> &events)
{
    QString error;
    qint64 inserted = 0;
    QVERIFY(m_store->database().begin(&error));
    QVERIFY2(m_store->insertEvents(events, &inserted, &error), qPrintable(error));
    QVERIFY(m_store->database().commit(&error));
}

void TestFraudReview::storeDecision(const Event &event, fraud::FraudAction action, int score)
{
    fraud::Decision decision;
    decision.paymentId = event.extra.value(QStringLiteral("stripe.data.object.id")).toByteArray();
    decision.eventId = event.id;
    decision.timeMs = event.timestampMs;
    decision.score = score;
    decision.action = action;
    decision.decidedBy = QStringLiteral("model");
    decision.reasons.append({QStringLiteral("cards_per_ip_address_daily"), 9, 1.5f,
                             QStringLiteral("cards used from the IP address in a day: 9")});
    QString error;
    QVERIFY2(fraud::FraudStore(m_store->database()).recordDecision(decision, &error),
             qPrintable(error));
}

int TestFraudReview::auditCount(const QString &action)
{
    const Identity auditor =
        identityForTesting(QStringLiteral("auditor"), {Role::ComplianceOfficer}, 9);
    AuditFilter filter;
    filter.action = action;
    QString error;
    return int(AuditLog(m_store->database()).list(auditor, filter, &error).size());
}

void TestFraudReview::init()
{
    m_dir = new QTemporaryDir;
    m_path = m_dir->filePath(QStringLiteral("console.db"));
    m_store = new Store;
    QString error;
    QVERIFY2(m_store->open(m_path, &error), qPrintable(error));

    // A customer's history, then two flagged charges and an allowed one.
    std::vector<Event> events;
    ChargeSpec earlier{QStringLiteral("ch_old1"), 3000, QStringLiteral("card_x"),
                       QStringLiteral("US"), QStringLiteral("usr_hist")};
    events.push_back(charge(BaseMs, earlier));
    events.push_back(follow(BaseMs + MinuteMs, QStringLiteral("charge.refunded"), earlier,
                            QStringLiteral("requested_by_customer")));
    ChargeSpec flagged = earlier;
    flagged.id = QStringLiteral("ch_new1");
    flagged.cents = 25000;
    events.push_back(charge(BaseMs + 10 * MinuteMs, flagged));
    ChargeSpec guest;
    guest.id = QStringLiteral("ch_new2");
    guest.cents = 150;
    guest.card = QStringLiteral("card_y");
    guest.cardCountry = QStringLiteral("BR");
    guest.ip = QStringLiteral("203.0.113.200");
    events.push_back(charge(BaseMs + 11 * MinuteMs, guest));
    ChargeSpec fine{QStringLiteral("ch_ok"), 4000, QStringLiteral("card_z"), QStringLiteral("US"),
                    QStringLiteral("usr_fine")};
    events.push_back(charge(BaseMs + 12 * MinuteMs, fine));
    events.push_back(follow(BaseMs + 60 * MinuteMs,
                            QStringLiteral("radar.early_fraud_warning.created"), flagged,
                            QStringLiteral("made_with_stolen_card")));
    storeEvents(events);
    m_flagged = {events[2], events[3]};
    storeDecision(events[2], fraud::FraudAction::Review, 72);
    storeDecision(events[3], fraud::FraudAction::Block, 95);
    storeDecision(events[4], fraud::FraudAction::Allow, 3);
}

void TestFraudReview::cleanup()
{
    delete m_store;
    delete m_dir;
}

void TestFraudReview::approveAddsToListAndAudits()
{
    fraud::ReviewService service(m_store->database());
    fraud::ReviewRequest request;
    request.outcome = fraud::ReviewOutcome::Approve;
    request.paymentId = "ch_new1";
    QString error;
    QVERIFY2(service.decide(m_analyst, request, &error), qPrintable(error));
    const QList<fraud::ListItem> reviewed = fraud::FraudStore(m_store->database())
                                                .listItems(QStringLiteral("reviewed_payments"), &error);
    QCOMPARE(reviewed.size(), 1);
    QCOMPARE(reviewed.first().value, QStringLiteral("ch_new1"));
    QCOMPARE(reviewed.first().addedBy, QStringLiteral("analyst"));
    QCOMPARE(auditCount(QStringLiteral("fraud.review.approve")), 1);
    QVERIFY(AuditLog(m_store->database()).verifyUnchecked().ok);
}

void TestFraudReview::blockNeedsResponder()
{
    fraud::ReviewService service(m_store->database());
    fraud::ReviewRequest request;
    request.outcome = fraud::ReviewOutcome::BlockCard;
    request.paymentId = "ch_new2";
    request.cardFingerprint = QStringLiteral("card_y");
    QString error;
    QVERIFY(!service.decide(m_analyst, request, &error));
    QVERIFY2(error.contains(QStringLiteral("analyst")), qPrintable(error));
    fraud::FraudStore store(m_store->database());
    QVERIFY(store.listItems(QStringLiteral("blocked_cards"), &error).isEmpty());
    QCOMPARE(auditCount(QStringLiteral("fraud.review.")), 0);

    QVERIFY2(service.decide(m_responder, request, &error), qPrintable(error));
    const QList<fraud::ListItem> blocked = store.listItems(QStringLiteral("blocked_cards"), &error);
    QCOMPARE(blocked.size(), 1);
    QCOMPARE(blocked.first().value, QStringLiteral("card_y"));
    QCOMPARE(auditCount(QStringLiteral("fraud.review.block_card")), 1);

    // The rules read the list the decision fed.
    fraud::RuleSet rules;
    QVERIFY(store.loadLists(&rules, &error));
    QVERIFY(rules.listNames().contains(QStringLiteral("blocked_cards")));
}

void TestFraudReview::modelReadsQueueHistoryAndFigures()
{
    FraudReviewModel model(m_path, m_analyst);
    QVERIFY2(model.isOpen(), qPrintable(model.lastError()));
    QCOMPARE(model.rowCount(), 2);  // the allowed payment is not in the queue
    QCOMPARE(model.item(0)->decision.paymentId, QByteArray("ch_new2"));  // newest first
    QCOMPARE(model.data(model.index(0, FraudReviewModel::CustomerColumn)).toString(),
             QStringLiteral("guest"));
    QCOMPARE(model.data(model.index(1, FraudReviewModel::ScoreColumn)).toString(),
             QStringLiteral("72"));
    QCOMPARE(model.item(1)->payment.customerId, QStringLiteral("cus_usr_hist"));
    QCOMPARE(model.item(1)->userId, QStringLiteral("usr_hist"));

    const fraud::CustomerHistory history = model.history(1);
    QCOMPARE(history.charges, 1);  // only what came before the payment
    QCOMPARE(history.refunds, 1);

    QCOMPARE(model.overview().total, 3);
    QCOMPARE(model.overview().byAction[2], 1);
    QCOMPARE(model.overview().scoreBuckets[9], 1);
    QCOMPARE(model.laterLabels().labelledFrauds, 1);
    QCOMPARE(model.laterLabels().flaggedFrauds, 1);
    QVERIFY(!model.evaluation().has_value());

    QVERIFY(model.mayDecide(fraud::ReviewOutcome::Approve));
    QVERIFY(!model.mayDecide(fraud::ReviewOutcome::BlockCustomer));
    QVERIFY2(model.decide(1, fraud::ReviewOutcome::Refund, QString()), qPrintable(model.lastError()));
    QCOMPARE(model.rowCount(), 1);
    model.setShowReviewed(true);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(1, FraudReviewModel::StatusColumn)).toString(),
             QStringLiteral("refund by analyst"));
    QVERIFY(!model.decide(0, fraud::ReviewOutcome::BlockCustomer, QString()));
}

void TestFraudReview::modelPagesLargeQueues()
{
    std::vector<Event> events;
    for (int i = 0; i < 450; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_bulk%1").arg(i);
        spec.cents = 500;
        spec.card = QStringLiteral("card_b%1").arg(i);
        events.push_back(charge(BaseMs + 100 * MinuteMs + i * 1000, spec));
    }
    storeEvents(events);
    QString error;
    QVERIFY(m_store->database().begin(&error));
    for (const Event &event : events)
        storeDecision(event, fraud::FraudAction::Review, 65);
    QVERIFY(m_store->database().commit(&error));

    FraudReviewModel model(m_path, m_analyst);
    QCOMPARE(model.rowCount(), FraudReviewModel::PageSize);
    QVERIFY(model.canFetchMore(QModelIndex()));
    model.fetchMore(QModelIndex());
    model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), 452);
    QVERIFY(!model.canFetchMore(QModelIndex()));
    QCOMPARE(model.item(451)->decision.paymentId, QByteArray("ch_new1"));
}

QTEST_MAIN(TestFraudReview)
#include "tst_fraudreview.moc"
